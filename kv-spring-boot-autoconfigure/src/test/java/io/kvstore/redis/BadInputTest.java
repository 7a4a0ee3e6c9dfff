package io.kvstore.redis;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import io.kvstore.KvListOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvStores;
import io.kvstore.KvType;
import io.kvstore.core.AbstractKvNamespace;
import io.kvstore.core.KvStoreSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Every rule on input at and beyond its boundary: a bad argument throws
 * {@link IllegalArgumentException} naming the argument, the limit and the value given,
 * and nothing stored changes (in Redis, or in the memory stores' maps).
 */
@OnEveryTopology
class BadInputTest extends AbstractKvTest {

	/** A fixed clock, so boundaries of absolute expirations do not depend on timing. */
	static final long NOW = 1_800_000_000L;

	static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW, 500_000_000), ZoneOffset.UTC);

	static final String KEY_513 = "k".repeat(513);

	static final String EURO_171 = "€".repeat(171);

	private AbstractKvNamespace store;

	private Target target;

	/**
	 * What a bad call can reach: the store under test, a small one, another one, a
	 * registry, and a way to make a store of the test's topology.
	 */
	record Target(KvNamespace store, KvNamespace small, KvNamespace other, KvStores stores,
			Function<String, KvNamespace> storeFactory) {

		KvNamespace newStore(String name) {
			return this.storeFactory.apply(name);
		}

	}

	@BeforeEach
	void fillStore() {
		this.store = store("demo", KvStoreSettings.defaults("demo"), CLOCK);
		this.store.put("existing", "old value", KvPutOptions.builder().metadata(Map.of("v", 1)).build());
		KvNamespace small = store("small", KvStoreSettings.defaults("small").withMaxValueSize(100), CLOCK);
		KvNamespace other = store("other", KvStoreSettings.defaults("other"), CLOCK);
		for (int i = 0; i < 5; i++) {
			this.store.put("p" + i, "v");
			other.put("p" + i, "v");
		}
		this.target = new Target(this.store, small, other, KvStores.of(List.of(this.store, small, other)),
				(name) -> store(name, KvStoreSettings.defaults("x"), CLOCK));
	}

	static Stream<Arguments> badCalls() {
		KvPutOptions none = KvPutOptions.none();
		return Stream.of(bad("null key", (t) -> t.store().put(null, "v"), "'key' must not be null"),
				bad("empty key", (t) -> t.store().put("", "v"), "'key' must not be empty"),
				bad("dot key", (t) -> t.store().put(".", "v"), "'key' must not be '.' or '..', was '.'"),
				bad("dot-dot key", (t) -> t.store().put("..", "v"), "was '..'"),
				bad("513-byte key", (t) -> t.store().put(KEY_513, "v"),
						"'key' must be at most 512 bytes in UTF-8, was 513 bytes"),
				bad("171 euro signs", (t) -> t.store().put(EURO_171, "v"), "at most 512 bytes in UTF-8, was 513 bytes"),
				bad("lone high surrogate", (t) -> t.store().put("a\uD800", "v"), "'key' must be valid Unicode"),
				bad("lone low surrogate", (t) -> t.store().put("\uDC00b", "v"), "lone surrogate U+DC00 at index 0"),
				bad("bad key on get", (t) -> t.store().get(""), "'key' must not be empty"),
				bad("bad key on getWithMetadata", (t) -> t.store().getWithMetadata(KEY_513), "was 513 bytes"),
				bad("bad key on delete", (t) -> t.store().delete(".."), "'key' must not be '.' or '..'"),
				bad("bad key on stream put", (t) -> t.store().put("\uD800", new ByteArrayInputStream(new byte[1])),
						"'key'"),
				bad("null type", (t) -> t.store().get("existing", null), "'type' must not be null"),
				bad("null text value", (t) -> t.store().put("k", (String) null), "'value' must not be null"),
				bad("null bytes value", (t) -> t.store().put("k", (byte[]) null), "'value' must not be null"),
				bad("null stream", (t) -> t.store().put("k", (java.io.InputStream) null), "'value' must not be null"),
				bad("null JSON value", (t) -> t.store().putJson("k", null), "'value' must not be null"),
				bad("text value with lone surrogate", (t) -> t.store().put("k", "x\uD800"),
						"'value' must be valid Unicode"),
				bad("null options", (t) -> t.store().put("k", "v", null), "'options' must not be null"),
				bad("TTL 0", (t) -> t.store().put("k", "v", ttl(0)),
						"'expirationTtl' must be at least 60 seconds (the minimum TTL), was 0"),
				bad("TTL -1", (t) -> t.store().put("k", "v", ttl(-1)), "was -1"),
				bad("TTL 59", (t) -> t.store().put("k", "v", ttl(59)), "at least 60 seconds (the minimum TTL), was 59"),
				bad("TTL Long.MAX_VALUE", (t) -> t.store().put("k", "v", ttl(Long.MAX_VALUE)),
						"must not reach beyond the end of year 9999 (epoch second 253402300799)"),
				bad("TTL one second beyond 9999", (t) -> t.store().put("k", "v", ttl(253402300799L - NOW + 1)),
						"at most " + (253402300799L - NOW) + " seconds now, was " + (253402300799L - NOW + 1)),
				bad("expiration in the past", (t) -> t.store().put("k", "v", at(NOW - 10)),
						"'expiration' must be in the future (epoch seconds greater than " + NOW + "), was "
								+ (NOW - 10)),
				bad("expiration now", (t) -> t.store().put("k", "v", at(NOW)), "must be in the future"),
				bad("expiration 30 s ahead", (t) -> t.store().put("k", "v", at(NOW + 30)),
						"'expiration' must be at least 60 seconds (the minimum TTL) in the future"),
				bad("expiration 59 s ahead", (t) -> t.store().put("k", "v", at(NOW + 59)),
						"at least " + (NOW + 60) + ", was " + (NOW + 59)),
				bad("expiration Long.MAX_VALUE", (t) -> t.store().put("k", "v", at(Long.MAX_VALUE)),
						"'expiration' must be at most 253402300799 (the end of year 9999), was " + Long.MAX_VALUE),
				bad("expiration just past 9999", (t) -> t.store().put("k", "v", at(253402300800L)), "was 253402300800"),
				bad("cacheTtl under the minimum cache TTL",
						(t) -> t.store().get("k", KvType.TEXT, io.kvstore.KvGetOptions.cacheTtl(29)),
						"'cacheTtl' must be at least 30 seconds (the minimum cache TTL, min-cache-ttl), was 29"),
				bad("cacheTtl of 0 with metadata",
						(t) -> t.store().getWithMetadata("k", KvType.TEXT, io.kvstore.KvGetOptions.cacheTtl(0)),
						"'cacheTtl' must be at least 30 seconds"),
				bad("null read options", (t) -> t.store().get("k", KvType.TEXT, (io.kvstore.KvGetOptions) null),
						"'options' must not be null"),
				bad("metadata with a number of 1001 digits",
						(t) -> t.store().put("k", "v", meta(new java.math.BigInteger("9".repeat(1001)))),
						"'metadata' would not read back as JSON once stored (java.math.BigInteger): Number value length (1001) exceeds"),
				bad("JSON value with a number of 1001 digits",
						(t) -> t.store()
							.putJson("k", java.util.Map.of("n", new java.math.BigInteger("9".repeat(1001)))),
						"'value' would not read back as JSON once stored"),
				bad("JSON value with a property name of 60,000 characters",
						(t) -> t.store().putJson("k", java.util.Map.of("p".repeat(60_000), 1)),
						"'value' would not read back as JSON once stored"),
				bad("metadata of 1025 bytes", (t) -> t.store().put("k", "v", meta("x".repeat(1023))),
						"'metadata' must be at most 1024 bytes as compact UTF-8 JSON, was 1025 bytes"),
				bad("metadata Jackson cannot serialise", (t) -> t.store().put("k", "v", meta(new Unserialisable())),
						"'metadata' cannot be serialised as JSON (io.kvstore.redis.BadInputTest$Unserialisable)"),
				bad("JSON value Jackson cannot serialise", (t) -> t.store().putJson("k", new Unserialisable()),
						"'value' cannot be serialised as JSON (io.kvstore.redis.BadInputTest$Unserialisable)"),
				bad("limit 0", (t) -> t.store().list(KvListOptions.builder().limit(0).build()),
						"'limit' must be between 1 and 1000, was 0"),
				bad("limit -1", (t) -> t.store().list(KvListOptions.builder().limit(-1).build()), "was -1"),
				bad("limit 1001", (t) -> t.store().list(KvListOptions.builder().limit(1001).build()),
						"between 1 and 1000, was 1001"),
				bad("malformed cursor", (t) -> t.store().list(KvListOptions.builder().cursor("not a cursor!").build()),
						"'cursor' must be a cursor returned by list()"),
				bad("empty cursor", (t) -> t.store().list(KvListOptions.builder().cursor("").build()), "'cursor'"),
				bad("prefix with lone surrogate", (t) -> t.store().list(KvListOptions.prefix("\uD800")),
						"'prefix' must be valid Unicode"),
				bad("null list options", (t) -> t.store().list(null), "'options' must not be null"),
				bad("text over the value limit", (t) -> t.small().put("k", "x".repeat(101)),
						"'value' must be at most 100 bytes, was 101 bytes"),
				bad("bytes over the value limit", (t) -> t.small().put("k", new byte[101]),
						"'value' must be at most 100 bytes"),
				bad("stream over the value limit", (t) -> t.small().put("k", new ByteArrayInputStream(new byte[1000])),
						"'value' must be at most 100 bytes, was 101 bytes"),
				bad("JSON over the value limit", (t) -> t.small().putJson("k", List.of("x".repeat(100))),
						"'value' must be at most 100 bytes, was 104 bytes"),
				bad("cursor of another store",
						(t) -> t.store()
							.list(KvListOptions.builder()
								.cursor(t.other().list(KvListOptions.builder().limit(2).build()).cursor())
								.build()),
						"made by another store or for another prefix"),
				bad("cursor for another prefix",
						(t) -> t.store()
							.list(KvListOptions.builder()
								.cursor(t.store().list(KvListOptions.builder().prefix("p").limit(2).build()).cursor())
								.build()),
						"for another prefix"),
				bad("tampered cursor",
						(t) -> t.store()
							.list(KvListOptions.builder()
								.cursor(tamper(t.store().list(KvListOptions.builder().limit(2).build()).cursor()))
								.build()),
						"altered"),
				bad("prefix over the key limit", (t) -> t.store().list(KvListOptions.prefix("p".repeat(513))),
						"'prefix' must be at most 512 bytes in UTF-8, was 513 bytes"),
				bad("key with lone surrogate on delete", (t) -> t.store().delete("\uDFFF"),
						"'key' must be valid Unicode"),
				bad("null type with metadata", (t) -> t.store().getWithMetadata("existing", null),
						"'type' must not be null"),
				bad("fractional TTL duration", (t) -> KvPutOptions.builder().expirationTtl(Duration.ofMillis(1500)),
						"'expirationTtl' must be a whole number of seconds, was PT1.5S"),
				bad("unknown store lookup", (t) -> t.stores().get("nope"),
						"No KV store is named 'nope'; the declared stores are [demo, other, small]"),
				bad("store name with capitals", (t) -> t.newStore("Demo"), "Store name must be lowercase letters"),
				bad("store name starting with a digit", (t) -> t.newStore("1demo"), "start with a letter"),
				bad("store name of 64 characters", (t) -> t.newStore("a".repeat(64)),
						"at most 63 characters long, was"),
				bad("store name with underscore", (t) -> t.newStore("a_b"), "was 'a_b'"),
				bad("negative value size setting", (t) -> settings(100, -1, 60, "kv:x:"),
						"'maxValueSize' must be between 0 and 536870912 bytes, was -1"),
				bad("key size setting of 0", (t) -> settings(0, 100, 60, "kv:x:"),
						"'maxKeySize' must be between 1 and 65536 bytes, was 0"),
				bad("minimum TTL of 0 s", (t) -> settings(100, 100, 0, "kv:x:"),
						"'minTtl' must be a whole number of seconds, at least 1 second"),
				bad("fractional minimum TTL", (t) -> KvStoreSettings.defaults("x").withMinTtl(Duration.ofMillis(1500)),
						"'minTtl'"),
				bad("empty key prefix setting", (t) -> settings(100, 100, 60, ""), "'keyPrefix' must not be empty"),
				bad("key prefix with a half hash tag", (t) -> settings(100, 100, 60, "kv:{x:"),
						"one complete Redis Cluster hash tag"),
				bad("default TTL under the minimum",
						(t) -> KvStoreSettings.defaults("x").withDefaultTtl(Duration.ofSeconds(30)),
						"'defaultTtl' must be a whole number of seconds, at least the minimum TTL (60 seconds), was 30 seconds"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badCalls")
	void refusedWithAClearMessageAndNothingWritten(String description, Consumer<Target> call, String message) {
		Map<String, String> before = snapshot();
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> call.accept(this.target))
			.withMessageContaining(message);
		assertThat(snapshot()).isEqualTo(before);
		assertThat(this.store.getWithMetadata("existing").value()).isEqualTo("old value");
	}

	@Test
	void aReadWithACacheTtlWithoutANearCacheReadsAsWithout() {
		assertThat(this.store.get("existing", KvType.TEXT, io.kvstore.KvGetOptions.cacheTtl(30)))
			.isEqualTo("old value");
		assertThat(this.store.getWithMetadata("existing", KvType.TEXT,
				io.kvstore.KvGetOptions.builder().cacheTtl(java.time.Duration.ofMinutes(5)).build()))
			.isEqualTo(this.store.getWithMetadata("existing"));
		assertThat(this.store.get("missing", KvType.TEXT, io.kvstore.KvGetOptions.none())).isNull();
	}

	@Test
	void whatJacksonReadsAtItsLimitsIsAcceptedAndReadsBack() {
		java.math.BigInteger thousandDigits = new java.math.BigInteger("9".repeat(1000));
		this.store.put("n", "v", meta(thousandDigits));
		assertThat(this.store.getWithMetadata("n").metadata().bigIntegerValue()).isEqualTo(thousandDigits);
		assertThat(this.store.list(io.kvstore.KvListOptions.prefix("n")).keys().get(0).metadata().bigIntegerValue())
			.isEqualTo(thousandDigits);
		this.store.putJson("j", java.util.Map.of("p".repeat(50_000), thousandDigits));
		assertThat(this.store.get("j", KvType.JSON).get("p".repeat(50_000)).bigIntegerValue())
			.isEqualTo(thousandDigits);
	}

	@Test
	void valuesOverTheSizeLimitAreRefusedInEveryForm() {
		KvNamespace store = store("small", KvStoreSettings.defaults("small").withMaxValueSize(100));
		store.put("existing", "old");
		Map<String, String> before = snapshot();
		String expected = "'value' must be at most 100 bytes, was 101 bytes";
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.put("k", "x".repeat(101)))
			.withMessage(expected);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.put("k", "é".repeat(51)))
			.withMessage("'value' must be at most 100 bytes, was 102 bytes");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.put("k", new byte[101]))
			.withMessage(expected);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> store.put("k", new ByteArrayInputStream(new byte[101])))
			.withMessage(expected);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.putJson("k", "x".repeat(99)))
			.withMessage(expected);
		assertThat(snapshot()).isEqualTo(before);
		assertThatNoException().isThrownBy(() -> store.put("k", new byte[100]));
		assertThatNoException().isThrownBy(() -> store.putJson("j", "x".repeat(98)));
		assertThat(store.get("k", KvType.BYTES)).hasSize(100);
	}

	@Test
	void theDefaultValueLimitIs25MiBInclusive() {
		KvNamespace store = store("demo");
		byte[] limit = new byte[26_214_400];
		store.put("max", limit);
		assertThat(store.get("max", KvType.BYTES)).hasSize(26_214_400);
		Map<String, String> before = snapshot();
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> store.put("over", new byte[26_214_401]))
			.withMessage("'value' must be at most 26214400 bytes, was 26214401 bytes");
		assertThat(snapshot()).isEqualTo(before);
	}

	@Test
	void boundariesThatAreAccepted() {
		this.store.put("k".repeat(512), "v");
		this.store.put("€".repeat(170) + "ab", "v");
		this.store.put("\uD83D\uDE00", "a valid surrogate pair");
		this.store.put("ttl", "v", ttl(60));
		this.store.put("at", "v", at(NOW + 60));
		this.store.put("end-of-9999-by-ttl", "v", ttl(253402300799L - NOW));
		this.store.put("end-of-9999", "v", at(253402300799L));
		this.store.put("meta", "v", meta("x".repeat(1022)));
		assertThat(this.store.getWithMetadata("meta").metadata().stringValue()).hasSize(1022);
		assertThat(this.store.list(KvListOptions.builder().limit(1).build()).keys()).hasSize(1);
		assertThat(this.store.list(KvListOptions.builder().limit(1000).build()).keys()).hasSize(14);
		assertThat(this.store.get("end-of-9999")).isEqualTo("v");
		assertThat(expiresAtMillis(this.store, "end-of-9999")).isCloseTo(253402300799000L, expiryTolerance());
	}

	@Test
	void whenBothAreGivenTheTtlWinsAndTheIgnoredExpirationIsNotChecked() {
		this.store.put("k", "v", KvPutOptions.builder().expiration(NOW - 100).expirationTtl(120).build());
		// Redis measures the time to live by its own clock; a memory store by the fixed
		// one.
		assertThat(ttlMillis(this.store, "k")).isBetween(100_000L, 120_000L);
	}

	@Test
	void metadataThatSerialisesToNullMeansNone() {
		this.store.put("k", "v", meta(tools.jackson.databind.node.NullNode.getInstance()));
		assertThat(this.store.getWithMetadata("k").metadata()).isNull();
	}

	/** A bean whose property cannot be read, so Jackson cannot serialise it. */
	public static final class Unserialisable {

		public String getValue() {
			throw new IllegalStateException("this property cannot be read");
		}

	}

	private static Arguments bad(String description, Consumer<Target> call, String message) {
		return Arguments.of(description, call, message);
	}

	@Test
	void theCatalogHoldsAtLeastFiftyDistinctBadInputs() {
		assertThat(badCalls().map((arguments) -> arguments.get()[0]).distinct().count()).isGreaterThanOrEqualTo(50);
	}

	private static KvStoreSettings settings(int maxKeySize, int maxValueSize, long minTtlSeconds, String prefix) {
		return new KvStoreSettings(prefix, null, maxKeySize, maxValueSize, 1024, Duration.ofSeconds(minTtlSeconds),
				1000);
	}

	private static String tamper(String cursor) {
		byte[] bytes = java.util.Base64.getUrlDecoder().decode(cursor);
		bytes[bytes.length / 2] ^= 0x10;
		return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static KvPutOptions ttl(long seconds) {
		return KvPutOptions.builder().expirationTtl(seconds).build();
	}

	private static KvPutOptions at(long epochSeconds) {
		return KvPutOptions.builder().expiration(epochSeconds).build();
	}

	private static KvPutOptions meta(Object metadata) {
		return KvPutOptions.builder().metadata(metadata).build();
	}

}
