package io.kvstore.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.kvstore.KvKey;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.kvstore.core.AbstractKvNamespace;
import io.kvstore.core.KvStoreSettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Metadata and expiration: stored with the value, replaced by every put, reported by
 * list, and real expiry (with the minimum TTL lowered to one second). What is stored is
 * checked in Redis, or in the memory stores' maps.
 */
@OnEveryTopology
class MetadataAndExpirationTest extends AbstractKvTest {

	/** How long an entry that lives a second may take to be gone. */
	private static final Duration EXPIRY_DEADLINE = Duration.ofSeconds(10);

	record Owner(String name, List<String> tags) {
	}

	@Test
	void metadataRoundTripsAsJsonWithEveryReadType() {
		AbstractKvNamespace store = store("demo");
		Owner owner = new Owner("ada", List.of("a", "b"));
		store.put("k", "v", KvPutOptions.builder().metadata(owner).build());
		for (KvType<?> type : List.of(KvType.TEXT, KvType.BYTES, KvType.STREAM)) {
			KvValue<?> value = store.getWithMetadata("k", type);
			assertThat(value.metadata().toString()).isEqualTo("{\"name\":\"ada\",\"tags\":[\"a\",\"b\"]}");
		}
		store.put("n", "v", KvPutOptions.builder().metadata(42).build());
		assertThat(store.getWithMetadata("n").metadata().intValue()).isEqualTo(42);
		store.put("s", "v", KvPutOptions.builder().metadata("text").build());
		assertThat(store.getWithMetadata("s").metadata().stringValue()).isEqualTo("text");
	}

	@Test
	void metadataIsStoredAsCompactJsonEvenWhenTheMapperIndents() {
		tools.jackson.databind.json.JsonMapper indenting = tools.jackson.databind.json.JsonMapper.builder()
			.enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
			.build();
		AbstractKvNamespace store = store("demo", KvStoreSettings.defaults("demo"), Clock.systemUTC(), indenting);
		store.put("k", "v", KvPutOptions.builder().metadata(Map.of("a", 1)).build());
		assertThat(storedMetadata(store, "k")).isEqualTo("{\"a\":1}");
	}

	@Test
	void aPutReplacesValueMetadataAndExpirationTogether() {
		AbstractKvNamespace store = store("demo");
		store.put("k", "first", KvPutOptions.builder().metadata(Map.of("v", 1)).expirationTtl(3600).build());
		assertThat(ttlMillis(store, "k")).isPositive();
		store.put("k", "second");
		KvValue<String> value = store.getWithMetadata("k");
		assertThat(value.value()).isEqualTo("second");
		assertThat(value.metadata()).isNull();
		assertThat(ttlMillis(store, "k")).isEqualTo(-1);
		assertThat(store.list().keys()).containsExactly(new KvKey("k", null, null));

		store.put("k", "third", KvPutOptions.builder().metadata(Map.of("v", 3)).build());
		store.put("k", "fourth", KvPutOptions.builder().metadata(Map.of("v", 4)).expirationTtl(7200).build());
		value = store.getWithMetadata("k");
		assertThat(value.value()).isEqualTo("fourth");
		assertThat(value.metadata().get("v").intValue()).isEqualTo(4);
		assertThat(ttlMillis(store, "k")).isBetween(7_100_000L, 7_200_000L);
	}

	@Test
	void aPutReplacesALargeValueWithMetadataByASmallOneWithout() {
		AbstractKvNamespace store = store("demo");
		byte[] big = ValueRoundTripTest.random(2 * 1024 * 1024 + 1, 7);
		store.put("k", big, KvPutOptions.builder().metadata("big").expirationTtl(600).build());
		store.put("k", "small");
		KvValue<String> value = store.getWithMetadata("k");
		assertThat(value).isEqualTo(new KvValue<>("small", null, null));
		assertThat(ttlMillis(store, "k")).isEqualTo(-1);
	}

	@Test
	void expirationTtlIsMeasuredFromThePutToTheMillisecond() {
		AbstractKvNamespace store = store("demo");
		long before = nowMillis();
		store.put("k", "v", KvPutOptions.builder().expirationTtl(Duration.ofMinutes(2)).build());
		long after = nowMillis();
		// The key's own expiry (on Redis 6.2 read from PTTL, within some milliseconds).
		long expireAt = expiresAtMillis(store, "k");
		assertThat(expireAt).isBetween(before + 120_000 - expiryTolerance().value,
				after + 120_000 + expiryTolerance().value);
		KvKey listed = store.list().keys().get(0);
		// Exact with PEXPIRETIME; to the second on Redis 6.2, which lists from PTTL.
		assertThat(listed.expiration()).isCloseTo(Math.floorDiv(expireAt, 1000),
				org.assertj.core.data.Offset.offset(lacksPexpiretime() ? 1L : 0L));
	}

	@Test
	void absoluteExpirationIsKeptToTheSecond() {
		AbstractKvNamespace store = store("demo");
		long at = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
		store.put("k", "v", KvPutOptions.builder().expiration(at).build());
		assertThat(expiresAtMillis(store, "k")).isCloseTo(at * 1000, expiryTolerance());
		assertThat(store.list().keys()).containsExactly(new KvKey("k", at, null));
		store.put("i", "v", KvPutOptions.builder().expiration(Instant.ofEpochSecond(at, 999_000_000)).build());
		assertThat(expiresAtMillis(store, "i")).isCloseTo(at * 1000, expiryTolerance());
	}

	@Test
	void entriesExpireForReadsAndLists() {
		AbstractKvNamespace store = shortLivedStore("demo");
		store.put("stays", "v");
		putForOneSecondAndCheck("the entry is read",
				() -> store.put("short", "v", KvPutOptions.builder().expirationTtl(1).metadata("m").build()),
				() -> "v".equals(store.get("short")));
		await("the entry expired").atMost(EXPIRY_DEADLINE).until(() -> store.get("short") == null);
		assertThat(store.getWithMetadata("short")).isEqualTo(new KvValue<>(null, null, null));
		assertThat(store.list().keys()).extracting(KvKey::name).containsExactly("stays");
	}

	@Test
	void largeValuesExpireWithTheirChunks() {
		assumeTrue(this.topology != Topology.MEMORY, "it checks that Redis drops a large value's chunks with its hash; "
				+ "expiry in memory is entriesExpireForReadsAndLists and MemoryKvNamespaceTest");
		AbstractKvNamespace store = shortLivedStore("demo");
		putForOneSecondAndCheck("the entry is one key in Redis",
				() -> store.put("big", new byte[3 * 1024 * 1024], KvPutOptions.builder().expirationTtl(1).build()),
				() -> allKeys().size() == 1);
		await("the entry expired with its chunks").atMost(EXPIRY_DEADLINE).until(() -> allKeys().isEmpty());
		assertThat(store.get("big", KvType.BYTES)).isNull();
	}

	@Test
	void theStoreDefaultTtlAppliesToPutsWithoutExpiration() {
		AbstractKvNamespace store = store("demo", KvStoreSettings.defaults("demo").withDefaultTtl(Duration.ofHours(1)));
		store.put("default", "v");
		store.put("explicit", "v", KvPutOptions.builder().expirationTtl(7200).build());
		assertThat(ttlMillis(store, "default")).isBetween(3_500_000L, 3_600_000L);
		assertThat(ttlMillis(store, "explicit")).isBetween(7_100_000L, 7_200_000L);
	}

	@Test
	void metadataAndExpirationAreListedWithoutReadingValues() {
		assumeTrue(this.topology != Topology.MEMORY, "it counts the read commands Redis ran");
		AbstractKvNamespace store = store("demo");
		store.put("big", new byte[2 * 1024 * 1024], KvPutOptions.builder().metadata(Map.of("size", "big")).build());
		store.put("small", "v", KvPutOptions.builder().metadata(Map.of("size", "small")).expirationTtl(600).build());
		long gets = commandCalls("get") + commandCalls("getrange") + commandCalls("hget") + commandCalls("hgetall");
		List<KvKey> keys = store.list().keys();
		assertThat(keys).extracting(KvKey::name).containsExactly("big", "small");
		assertThat(keys).extracting(KvKey::metadata)
			.extracting((JsonNode m) -> m.get("size").stringValue())
			.containsExactly("big", "small");
		assertThat(keys.get(0).expiration()).isNull();
		assertThat(keys.get(1).expiration()).isPositive();
		assertThat(commandCalls("get") + commandCalls("getrange") + commandCalls("hget") + commandCalls("hgetall"))
			.isEqualTo(gets);
	}

	/**
	 * Puts an entry that lives one second, and checks at once that it is there. A check
	 * that ends a second or more after the put began (by the clock that expirations are
	 * measured against, see {@link #nowMillis()}) may have come after the expiry and
	 * proves nothing either way: then both are tried again. A check within the second
	 * must hold.
	 */
	private void putForOneSecondAndCheck(String what, Runnable put, BooleanSupplier check) {
		await("a put and check within the entry's second").atMost(Duration.ofSeconds(30))
			.pollDelay(Duration.ZERO)
			.until(() -> {
				long start = nowMillis();
				put.run();
				boolean holds = check.getAsBoolean();
				if (nowMillis() - start >= 1000) {
					return false;
				}
				assertThat(holds).as(what + " before it expires").isTrue();
				return true;
			});
	}

}
