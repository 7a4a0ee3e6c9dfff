package io.kvstore.redis;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.kvstore.KvKey;
import io.kvstore.KvListOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * clear: it deletes every entry of its store, of every size and kind, says how many, and
 * leaves every other store's entries as they were, also of a store whose name starts with
 * its name and of keys that name its entries.
 */
@OnEveryTopology
class ClearTest extends AbstractKvTest {

	private static final int MiB = 1024 * 1024;

	@Test
	void clearDeletesEveryEntryOfTheStoreReturnsHowManyAndLeavesOtherStores() {
		KvNamespace neighbour = store("demo-2");
		KvNamespace other = store("other");
		neighbour.put("a", "neighbour");
		neighbour.put("big", new byte[2 * MiB + 1], KvPutOptions.builder().metadata("n").build());
		other.put("a", "other", KvPutOptions.builder().expirationTtl(600).build());
		other.put("kv:demo:a", "a key that names the cleared store's entry");
		Map<String, String> othersOnly = snapshot();

		KvNamespace store = store("demo");
		List<String> keys = List.of("a", "*", "[x]", "{tag}k", "a\u0000b", "😀", "big", "streamed", "expiring");
		for (String key : keys.subList(0, 6)) {
			store.put(key, "v of " + key, KvPutOptions.builder().metadata(Map.of("key", key)).build());
		}
		store.put("big", new byte[3 * MiB + 5]);
		store.put("streamed", new ByteArrayInputStream(new byte[MiB + 1]));
		store.put("expiring", "v", KvPutOptions.builder().expirationTtl(3600).build());
		assertThat(store.list().keys()).hasSize(keys.size());

		assertThat(store.clear()).isEqualTo(keys.size());

		assertThat(store.list().keys()).isEmpty();
		for (String key : keys) {
			assertThat(store.get(key, KvType.BYTES)).as(key).isNull();
		}
		// Nothing of the cleared store is left, and the others' entries are untouched.
		assertThat(snapshot()).isEqualTo(othersOnly);
		assertThat(neighbour.get("a")).isEqualTo("neighbour");
		assertThat(neighbour.getWithMetadata("big", KvType.BYTES).metadata().stringValue()).isEqualTo("n");
		assertThat(other.get("a")).isEqualTo("other");
		assertThat(other.list().keys()).extracting(KvKey::name).containsExactly("a", "kv:demo:a");
	}

	@Test
	void clearAlsoRemovesTheStagedEntriesOfInterruptedPuts() {
		org.junit.jupiter.api.Assumptions.assumeTrue(!isMemory(), "staged entries are part of the Redis layout");
		KvNamespace store = store("demo");
		store.put("k", "v");
		byte[] entry = "kv:demo:k".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		byte[] staged = new EntryLayout("kv:demo:").newStagingKey(entry);
		this.redis.rawBinary().hset(staged, Map.of(EntryLayout.VALUE, new byte[1], EntryLayout.LENGTH, "1".getBytes()));
		this.redis.rawBinary().pexpire(staged, EntryLayout.STAGING_TTL_MILLIS);
		assertThat(allKeys()).hasSize(2);
		assertThat(store.clear()).isOne();
		assertThat(allKeys()).isEmpty();
	}

	@Test
	void clearOfAnEmptyStoreDeletesNothingAndAClearedStoreTakesNewEntries() {
		KvNamespace store = store("demo");
		KvNamespace other = store("other");
		other.put("k", "v");
		assertThat(store.clear()).isZero();
		store.put("k", "first");
		assertThat(store.clear()).isOne();
		assertThat(store.clear()).isZero();
		store.put("k", "second");
		assertThat(store.get("k")).isEqualTo("second");
		assertThat(other.get("k")).isEqualTo("v");
	}

	@Test
	void clearDeletesMoreEntriesThanOneScanOrListPage() {
		KvNamespace store = store("demo");
		KvNamespace other = store("other");
		IntStream.range(0, 2500).forEach((i) -> store.put("k" + i, "v"));
		IntStream.range(0, 30).forEach((i) -> other.put("k" + i, "v"));
		assertThat(store.clear()).isEqualTo(2500);
		assertThat(store.list(KvListOptions.builder().limit(1000).build()).keys()).isEmpty();
		assertThat(other.list().keys()).hasSize(30);
	}

}
