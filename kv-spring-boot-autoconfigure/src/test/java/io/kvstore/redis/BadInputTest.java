package io.kvstore.redis;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.kvstore.KvListOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
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
 * {@link IllegalArgumentException} naming the argument, the limit and the value given, and
 * nothing in Redis changes.
 */
class BadInputTest extends AbstractKvTest {

	/** A fixed clock, so boundaries of absolute expirations do not depend on timing. */
	static final long NOW = 1_800_000_000L;

	static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW, 500_000_000), ZoneOffset.UTC);

	static final String KEY_513 = "k".repeat(513);

	static final String EURO_171 = "€".repeat(171);

	private KvNamespace store;

	@BeforeEach
	void fillStore() {
		this.store = store("demo", KvStoreSettings.defaults("demo"), CLOCK);
		this.store.put("existing", "old value", KvPutOptions.builder().metadata(Map.of("v", 1)).build());
	}

	static Stream<Arguments> badCalls() {
		KvPutOptions none = KvPutOptions.none();
		return Stream.of(
				bad("null key", (s) -> s.put(null, "v"), "'key' must not be null"),
				bad("empty key", (s) -> s.put("", "v"), "'key' must not be empty"),
				bad("dot key", (s) -> s.put(".", "v"), "'key' must not be '.' or '..', was '.'"),
				bad("dot-dot key", (s) -> s.put("..", "v"), "was '..'"),
				bad("513-byte key", (s) -> s.put(KEY_513, "v"), "'key' must be at most 512 bytes in UTF-8, was 513 bytes"),
				bad("171 euro signs", (s) -> s.put(EURO_171, "v"), "at most 512 bytes in UTF-8, was 513 bytes"),
				bad("lone high surrogate", (s) -> s.put("a\uD800", "v"), "'key' must be valid Unicode"),
				bad("lone low surrogate", (s) -> s.put("\uDC00b", "v"), "lone surrogate U+DC00 at index 0"),
				bad("bad key on get", (s) -> s.get(""), "'key' must not be empty"),
				bad("bad key on getWithMetadata", (s) -> s.getWithMetadata(KEY_513), "was 513 bytes"),
				bad("bad key on delete", (s) -> s.delete(".."), "'key' must not be '.' or '..'"),
				bad("bad key on stream put", (s) -> s.put("\uD800", new ByteArrayInputStream(new byte[1])), "'key'"),
				bad("null type", (s) -> s.get("existing", null), "'type' must not be null"),
				bad("null text value", (s) -> s.put("k", (String) null), "'value' must not be null"),
				bad("null bytes value", (s) -> s.put("k", (byte[]) null), "'value' must not be null"),
				bad("null stream", (s) -> s.put("k", (java.io.InputStream) null), "'value' must not be null"),
				bad("null JSON value", (s) -> s.putJson("k", null), "'value' must not be null"),
				bad("text value with lone surrogate", (s) -> s.put("k", "x\uD800"), "'value' must be valid Unicode"),
				bad("null options", (s) -> s.put("k", "v", null), "'options' must not be null"),
				bad("TTL 0", (s) -> s.put("k", "v", ttl(0)), "'expirationTtl' must be at least 60 seconds (the minimum TTL), was 0"),
				bad("TTL -1", (s) -> s.put("k", "v", ttl(-1)), "was -1"),
				bad("TTL 59", (s) -> s.put("k", "v", ttl(59)), "at least 60 seconds (the minimum TTL), was 59"),
				bad("TTL Long.MAX_VALUE", (s) -> s.put("k", "v", ttl(Long.MAX_VALUE)),
						"must not reach beyond the end of year 9999 (epoch second 253402300799)"),
				bad("TTL one second beyond 9999", (s) -> s.put("k", "v", ttl(253402300799L - NOW + 1)), "at most "
						+ (253402300799L - NOW) + " seconds now, was " + (253402300799L - NOW + 1)),
				bad("expiration in the past", (s) -> s.put("k", "v", at(NOW - 10)),
						"'expiration' must be in the future (epoch seconds greater than " + NOW + "), was " + (NOW - 10)),
				bad("expiration now", (s) -> s.put("k", "v", at(NOW)), "must be in the future"),
				bad("expiration 30 s ahead", (s) -> s.put("k", "v", at(NOW + 30)),
						"'expiration' must be at least 60 seconds (the minimum TTL) in the future"),
				bad("expiration 59 s ahead", (s) -> s.put("k", "v", at(NOW + 59)), "at least " + (NOW + 60) + ", was " + (NOW + 59)),
				bad("expiration Long.MAX_VALUE", (s) -> s.put("k", "v", at(Long.MAX_VALUE)),
						"'expiration' must be at most 253402300799 (the end of year 9999), was " + Long.MAX_VALUE),
				bad("expiration just past 9999", (s) -> s.put("k", "v", at(253402300800L)), "was 253402300800"),
				bad("metadata of 1025 bytes", (s) -> s.put("k", "v", meta("x".repeat(1023))),
						"'metadata' must be at most 1024 bytes as compact UTF-8 JSON, was 1025 bytes"),
				bad("metadata Jackson cannot serialise", (s) -> s.put("k", "v", meta(new Unserialisable())),
						"'metadata' cannot be serialised as JSON (io.kvstore.redis.BadInputTest$Unserialisable)"),
				bad("JSON value Jackson cannot serialise", (s) -> s.putJson("k", new Unserialisable()),
						"'value' cannot be serialised as JSON (io.kvstore.redis.BadInputTest$Unserialisable)"),
				bad("limit 0", (s) -> s.list(KvListOptions.builder().limit(0).build()), "'limit' must be between 1 and 1000, was 0"),
				bad("limit -1", (s) -> s.list(KvListOptions.builder().limit(-1).build()), "was -1"),
				bad("limit 1001", (s) -> s.list(KvListOptions.builder().limit(1001).build()), "between 1 and 1000, was 1001"),
				bad("malformed cursor", (s) -> s.list(KvListOptions.builder().cursor("not a cursor!").build()),
						"'cursor' must be a cursor returned by list()"),
				bad("empty cursor", (s) -> s.list(KvListOptions.builder().cursor("").build()), "'cursor'"),
				bad("prefix with lone surrogate", (s) -> s.list(KvListOptions.prefix("\uD800")), "'prefix' must be valid Unicode"),
				bad("null list options", (s) -> s.list(null), "'options' must not be null"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badCalls")
	void refusedWithAClearMessageAndNothingWritten(String description, Consumer<KvNamespace> call, String message) {
		Map<String, String> before = snapshot();
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> call.accept(this.store))
			.withMessageContaining(message);
		assertThat(snapshot()).isEqualTo(before);
		assertThat(this.store.getWithMetadata("existing").value()).isEqualTo("old value");
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
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.put("over", new byte[26_214_401]))
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
		assertThat(this.store.list(KvListOptions.builder().limit(1000).build()).keys()).hasSize(9);
		assertThat(this.store.get("end-of-9999")).isEqualTo("v");
		assertThat(this.redis.raw().pexpiretime("kv:demo:end-of-9999")).isEqualTo(253402300799000L);
	}

	@Test
	void whenBothAreGivenTheTtlWinsAndTheIgnoredExpirationIsNotChecked() {
		this.store.put("k", "v", KvPutOptions.builder().expiration(NOW - 100).expirationTtl(120).build());
		long ttl = this.redis.raw().pttl("kv:demo:k");
		assertThat(ttl).isBetween(100_000L, 120_000L);
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

	private static Arguments bad(String description, Consumer<KvNamespace> call, String message) {
		return Arguments.of(description, call, message);
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
