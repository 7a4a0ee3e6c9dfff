package io.kvstore.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvSerializationException;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.test.RoundTripCounter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * Bulk reads and bulk deletes, rule by rule of the contract: every key checked first,
 * limits, order, duplicates, missing keys, types, large values, the total size, and round
 * trips.
 */
@OnEveryTopology
class BulkTest extends AbstractKvTest {

	private static final int MiB = 1024 * 1024;

	@Test
	void aBulkGetAnswersEveryDistinctKeyInTheOrderFirstRequested() {
		KvNamespace store = store("demo");
		store.put("b", "B");
		store.put("a", "A", KvPutOptions.builder().metadata(Map.of("m", 1)).build());
		store.put("{tag}c", "C");
		Map<String, String> values = store.get(List.of("b", "missing", "a", "b", "{tag}c"));
		assertThat(values).containsExactly(entry("b", "B"), entry("missing", null), entry("a", "A"),
				entry("{tag}c", "C"));
		Map<String, KvValue<String>> withMetadata = store.getWithMetadata(List.of("a", "missing"));
		assertThat(withMetadata.keySet()).containsExactly("a", "missing");
		assertThat(withMetadata.get("a").value()).isEqualTo("A");
		assertThat(withMetadata.get("a").metadata().get("m").intValue()).isOne();
		assertThat(withMetadata.get("missing")).isEqualTo(new KvValue<>(null, null, null));
		// Without metadata asked for, none is read.
		assertThat(store.get(List.of("a"), KvType.BYTES).get("a")).isEqualTo("A".getBytes());
	}

	@Test
	void aBulkGetReadsJsonAndTypedJsonAndFailsWholeOnAValueThatIsNotJson() {
		KvNamespace store = store("demo");
		store.putJson("n", Map.of("x", 1));
		store.putJson("s", "text");
		store.put("bad", "not json");
		Map<String, JsonNode> json = store.get(List.of("n", "s", "none"), KvType.JSON);
		assertThat(json.get("n").get("x").intValue()).isOne();
		assertThat(json.get("s").stringValue()).isEqualTo("text");
		assertThat(json).containsEntry("none", null);
		assertThat(store.get(List.of("s"), KvType.json(String.class))).containsExactly(entry("s", "text"));
		assertThatExceptionOfType(KvSerializationException.class)
			.isThrownBy(() -> store.get(List.of("n", "bad"), KvType.JSON))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("bad"))
			.withMessageContaining("'bad'");
	}

	@Test
	void valuesOverOneChunkAreReadWholeWithTheirMetadata() {
		KvNamespace store = store("demo");
		byte[] big = new byte[2 * MiB + 3];
		big[MiB + 1] = 9;
		store.put("big", big, KvPutOptions.builder().metadata("big one").build());
		store.put("small", "s");
		Map<String, KvValue<byte[]>> read = store.getWithMetadata(List.of("small", "big"), KvType.BYTES);
		assertThat(read.get("big").value()).isEqualTo(big);
		assertThat(read.get("big").metadata().stringValue()).isEqualTo("big one");
		assertThat(read.get("small").value()).isEqualTo("s".getBytes());
	}

	@Test
	void valuesThatTogetherExceedTheValueLimitFailTheCallNamingTheLimit() {
		KvNamespace store = store("small", KvStoreSettings.defaults("small").withMaxValueSize(100));
		store.put("a", new byte[60]);
		store.put("b", new byte[40]);
		store.put("c", new byte[1]);
		assertThat(store.get(List.of("a", "b"), KvType.BYTES)).hasSize(2);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> store.get(List.of("a", "b", "c"), KvType.BYTES))
			.withMessageContaining("101 bytes")
			.withMessageContaining("limit of 100 bytes");
	}

	@Test
	void badInputIsRefusedBeforeAnythingIsSent() {
		KvNamespace store = store("demo");
		store.put("k", "v");
		Map<String, String> before = snapshot();
		List<String> withNull = new ArrayList<>(List.of("k", "x"));
		withNull.add(null);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.get(withNull))
			.withMessage("'keys' must not contain null, but holds it at index 2");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.get((Collection<String>) null))
			.withMessage("'keys' must not be null");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.get(List.of("k", "")))
			.withMessageContaining("index 1")
			.withMessageContaining("'key' must not be empty");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> store.get(List.of("k"), KvType.STREAM))
			.withMessageContaining("'type' must not be KvType.STREAM");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.get(keys(101)))
			.withMessage("'keys' must hold at most 100 distinct keys, was 101");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.delete(keys(1001)))
			.withMessage("'keys' must hold at most 1000 (the store's max-list-limit) distinct keys, was 1001");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.delete(List.of("k", "..")))
			.withMessageContaining("'key' must not be '.' or '..'");
		assertThat(snapshot()).isEqualTo(before);
		assertThat(store.get("k")).isEqualTo("v");
	}

	@Test
	void duplicatesCountOnceTowardsTheLimits() {
		KvNamespace store = store("demo");
		List<String> hundredTwice = new ArrayList<>(keys(100));
		hundredTwice.addAll(keys(100));
		assertThat(store.get(hundredTwice)).hasSize(100).containsEntry("k0", null);
		store.put("k0", "v");
		List<String> thousandTwice = new ArrayList<>(keys(1000));
		thousandTwice.addAll(keys(1000));
		store.delete(thousandTwice);
		assertThat(store.get("k0")).isNull();
	}

	@Test
	void aBulkDeleteDeletesEveryKeyGivenAndNothingElseAndIsIdempotent() {
		KvNamespace store = store("demo");
		KvNamespace other = store("other");
		IntStream.range(0, 20).forEach((i) -> store.put("k" + i, "v"));
		store.put("big", new byte[MiB + 1]);
		other.put("k1", "other");
		store.delete(List.of("k1", "k2", "big", "missing", "k1"));
		assertThat(store.get(List.of("k1", "k2", "big", "k3"))).containsExactly(entry("k1", null), entry("k2", null),
				entry("big", null), entry("k3", "v"));
		assertThat(store.list().keys()).hasSize(18);
		assertThat(other.get("k1")).isEqualTo("other");
		store.delete(List.of("k1", "k2"));
		store.delete(List.of());
		assertThat(store.list().keys()).hasSize(18);
	}

	@Test
	void aBulkReadOfValuesUpToOneChunkIsOneRoundTripAndAnEmptyOneSendsNothing() {
		org.junit.jupiter.api.Assumptions.assumeTrue(!isMemory() && !isCluster(),
				"round trips are counted on a single Redis (a cluster asks its masters in parallel)");
		RoundTripCounter counter = new RoundTripCounter();
		withListenedStore(counter, (store) -> {
			List<String> keys = keys(100);
			keys.forEach((key) -> store.put(key, new byte[10 * 1024]));
			store.put("k7", new byte[MiB]);
			counter.reset();
			assertThat(store.getWithMetadata(keys, KvType.BYTES)).hasSize(100);
			assertThat(counter.roundTrips()).isOne();
			assertThat(counter.commands()).hasSize(100).containsOnly("HMGET");
			counter.reset();
			store.delete(keys);
			assertThat(counter.commands()).containsExactly("DEL");
			assertThat(counter.roundTrips()).isOne();
			counter.reset();
			assertThat(store.get(List.of())).isEmpty();
			store.delete(List.of());
			assertThat(counter.commands()).isEmpty();
		});
	}

	private static List<String> keys(int count) {
		return IntStream.range(0, count).mapToObj((i) -> "k" + i).toList();
	}

	static boolean sameBytes(byte[] a, byte[] b) {
		return Arrays.equals(a, b);
	}

}
