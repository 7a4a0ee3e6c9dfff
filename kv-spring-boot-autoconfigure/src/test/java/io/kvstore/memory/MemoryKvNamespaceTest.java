package io.kvstore.memory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.kvstore.KvKey;
import io.kvstore.KvListOptions;
import io.kvstore.KvListResult;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.test.MutableClock;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What is particular to the in-memory backend: expiry by the store's clock to the
 * millisecond, clear, copies of values in and out, cursors bound to their store and
 * prefix, streams that hold the value they were got with, and whole entries under
 * concurrent puts and reads. The contract itself is tested by the contract tests on their
 * {@code MEMORY} topology.
 */
class MemoryKvNamespaceTest {

	private static final int MiB = 1024 * 1024;

	/**
	 * Not on a whole second, so that a time to live and an absolute expiration differ.
	 */
	private static final Instant START = Instant.parse("2030-01-01T00:00:00.250Z");

	private final MutableClock clock = new MutableClock(START);

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	static Stream<Arguments> expiringPuts() {
		long start = START.toEpochMilli();
		long second = START.getEpochSecond();
		return Stream.of(
				Arguments.of("expirationTtl in seconds", KvPutOptions.builder().expirationTtl(60).metadata("m").build(),
						null, start + 60_000),
				Arguments.of("expirationTtl as a Duration",
						KvPutOptions.builder().expirationTtl(Duration.ofMinutes(2)).metadata("m").build(), null,
						start + 120_000),
				Arguments.of("expiration in epoch seconds",
						KvPutOptions.builder().expiration(second + 120).metadata("m").build(), null,
						(second + 120) * 1000),
				Arguments.of("expiration as an Instant, kept to the second",
						KvPutOptions.builder()
							.expiration(Instant.ofEpochSecond(second + 120, 999_000_000))
							.metadata("m")
							.build(),
						null, (second + 120) * 1000),
				Arguments.of("the store's default TTL", KvPutOptions.builder().metadata("m").build(),
						Duration.ofHours(1), start + 3_600_000));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("expiringPuts")
	void entriesExpireForEveryReadExactlyWhenTheClockReachesTheirExpiry(String way, KvPutOptions options,
			@Nullable Duration defaultTtl, long expiresAt) {
		MemoryKvNamespace store = store("demo", KvStoreSettings.defaults("demo").withDefaultTtl(defaultTtl));
		// One key per way of reading, so that each read meets its entry before another
		// removed it.
		for (String key : List.of("get", "meta", "list")) {
			store.put(key, "v", options);
		}
		assertThat(MemoryEntries.entry(store, "get").expiresAt()).isEqualTo(expiresAt);

		this.clock.setMillis(expiresAt - 1);
		assertThat(store.get("get")).isEqualTo("v");
		KvValue<String> read = store.getWithMetadata("meta");
		assertThat(read.value()).isEqualTo("v");
		assertThat(read.metadata().stringValue()).isEqualTo("m");
		assertThat(store.list(KvListOptions.prefix("list")).keys()).extracting(KvKey::name, KvKey::expiration)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("list", Math.floorDiv(expiresAt, 1000)));

		this.clock.setMillis(expiresAt);
		// Still held: each read decides by the clock, not by whether the entry was
		// removed.
		assertThat(MemoryEntries.of(store)).containsOnlyKeys("get", "list", "meta");
		assertThat(store.get("get")).isNull();
		assertThat(store.getWithMetadata("meta")).isEqualTo(new KvValue<>(null, null, null));
		assertThat(store.list(KvListOptions.prefix("list"))).isEqualTo(new KvListResult(List.of(), true, null));
		assertThat(store.list().keys()).isEmpty();
		// Met by a read, an expired entry is removed.
		assertThat(MemoryEntries.of(store)).isEmpty();
	}

	@Test
	void expiredEntriesAreNotListedWhileTheClockIsPastThemOnEveryPage() {
		MemoryKvNamespace store = store("demo");
		// k00..k19: every third expires after 60 s, every third after 120 s, the rest
		// never.
		for (int i = 0; i < 20; i++) {
			KvPutOptions options = switch (i % 3) {
				case 0 -> KvPutOptions.builder().expirationTtl(60).build();
				case 1 -> KvPutOptions.builder().expirationTtl(120).build();
				default -> KvPutOptions.none();
			};
			store.put(String.format("k%02d", i), "v", options);
		}
		KvListResult first = store.list(KvListOptions.builder().limit(5).build());
		assertThat(first.keys()).extracting(KvKey::name).containsExactly("k00", "k01", "k02", "k03", "k04");

		this.clock.advance(Duration.ofSeconds(60));
		assertThat(MemoryEntries.of(store)).hasSize(20);
		List<String> rest = listAll(store, first.cursor());
		assertThat(rest).containsExactlyElementsOf(keys(5, 20, (i) -> i % 3 != 0));
		assertThat(listAll(store, null)).containsExactlyElementsOf(keys(0, 20, (i) -> i % 3 != 0));

		this.clock.advance(Duration.ofSeconds(59));
		assertThat(listAll(store, null)).containsExactlyElementsOf(keys(0, 20, (i) -> i % 3 != 0));
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(listAll(store, null)).containsExactlyElementsOf(keys(0, 20, (i) -> i % 3 == 2));
		assertThat(MemoryEntries.of(store)).containsOnlyKeys(keys(0, 20, (i) -> i % 3 == 2));
	}

	@Test
	void expiredEntriesThatAreNeverReadAreSweptByLaterPuts() {
		MemoryKvNamespace store = store("demo");
		store.put("old", "v", KvPutOptions.builder().expirationTtl(60).build());
		this.clock.advance(Duration.ofSeconds(60));
		// MemoryStorage sweeps every 1024 puts; "old" was the first of them.
		for (int i = 1; i < 1024; i++) {
			store.put("new-" + i, "v");
		}
		assertThat(MemoryEntries.entry(store, "old")).isNull();
		assertThat(MemoryEntries.of(store)).hasSize(1023);
	}

	@Test
	void clearReturnsTheNumberOfLiveEntriesAndLeavesOtherStoresIntact() {
		MemoryKvNamespace store = store("demo");
		MemoryKvNamespace other = store("demo-2");
		for (String key : List.of("a", "b", "c")) {
			store.put(key, "v", KvPutOptions.builder().metadata(key).build());
		}
		store.put("big", new byte[2 * MiB]);
		store.put("gone-1", "v", KvPutOptions.builder().expirationTtl(60).build());
		store.put("gone-2", "v", KvPutOptions.builder().expirationTtl(60).build());
		other.put("a", "other");
		other.put("later", "v", KvPutOptions.builder().expirationTtl(120).build());
		this.clock.advance(Duration.ofSeconds(60));
		Map<String, String> others = MemoryEntries.describe(other);
		assertThat(MemoryEntries.of(store)).hasSize(6);

		assertThat(store.clear()).isEqualTo(4);

		assertThat(MemoryEntries.of(store)).isEmpty();
		assertThat(MemoryEntries.describe(other)).isEqualTo(others).hasSize(2);
		assertThat(other.get("a")).isEqualTo("other");
		assertThat(other.get("later")).isEqualTo("v");
		assertThat(store.clear()).isZero();
	}

	@Test
	void valuesGivenToPutOrReturnedByGetAreCopies() throws IOException {
		MemoryKvNamespace store = store("demo");
		byte[] given = { 1, 2, 3 };
		Map<String, Object> metadata = new HashMap<>(Map.of("v", 1));
		store.put("k", given, KvPutOptions.builder().metadata(metadata).build());
		given[0] = 9;
		metadata.put("v", 2);
		assertThat(store.get("k", KvType.BYTES)).containsExactly(1, 2, 3);

		byte[] returned = store.get("k", KvType.BYTES);
		returned[1] = 9;
		KvValue<byte[]> withMetadata = store.getWithMetadata("k", KvType.BYTES);
		withMetadata.value()[2] = 9;
		try (InputStream in = store.get("k", KvType.STREAM)) {
			assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
		}
		assertThat(store.get("k", KvType.BYTES)).containsExactly(1, 2, 3);
		assertThat(store.getWithMetadata("k").metadata().get("v").intValue()).isOne();
		MemoryEntries.StoredEntry entry = MemoryEntries.entry(store, "k");
		assertThat(entry.value()).containsExactly(1, 2, 3);
		assertThat(entry.metadataJson()).isEqualTo("{\"v\":1}");

		byte[] streamed = { 4, 5, 6 };
		store.put("s", new ByteArrayInputStream(streamed));
		streamed[0] = 9;
		assertThat(store.get("s", KvType.BYTES)).containsExactly(4, 5, 6);
	}

	@Test
	void aStreamReadsTheValueAsItWasWhenItWasGot() throws IOException {
		MemoryKvNamespace store = store("demo");
		store.put("k", filled(3 * MiB, (byte) 'a'), KvPutOptions.builder().metadata("first").build());
		KvValue<InputStream> reading = store.getWithMetadata("k", KvType.STREAM);
		assertThat(reading.metadata().stringValue()).isEqualTo("first");
		try (InputStream in = reading.value()) {
			assertThat(allSame(in.readNBytes(MiB + 10), (byte) 'a')).isTrue();
			store.put("k", filled(3 * MiB, (byte) 'b'), KvPutOptions.builder().metadata("second").build());
			byte[] rest = in.readAllBytes();
			assertThat(rest).hasSize(2 * MiB - 10);
			assertThat(allSame(rest, (byte) 'a')).isTrue();
		}
		try (InputStream in = store.get("k", KvType.STREAM)) {
			in.readNBytes(10);
			store.delete("k");
			byte[] rest = in.readAllBytes();
			assertThat(rest).hasSize(3 * MiB - 10);
			assertThat(allSame(rest, (byte) 'b')).isTrue();
		}
		assertThat(store.get("k")).isNull();
	}

	@Test
	void cursorsOfAnotherStoreOrAnotherPrefixAreRefused() {
		MemoryKvNamespace store = store("demo");
		MemoryKvNamespace other = store("other");
		IntStream.range(0, 10).forEach((i) -> {
			store.put("k" + i, "v");
			other.put("k" + i, "v");
		});
		String cursor = store.list(KvListOptions.builder().limit(3).build()).cursor();
		String prefixed = store.list(KvListOptions.builder().prefix("k").limit(3).build()).cursor();
		assertThat(store.list(KvListOptions.builder().cursor(cursor).build()).keys()).extracting(KvKey::name)
			.containsExactly("k3", "k4", "k5", "k6", "k7", "k8", "k9");

		assertRefused(other, KvListOptions.builder().cursor(cursor).build(),
				"made by another store or for another prefix");
		assertRefused(other, KvListOptions.builder().prefix("k").cursor(prefixed).build(), "made by another store");
		assertRefused(store, KvListOptions.builder().cursor(prefixed).build(), "for another prefix");
		assertRefused(store, KvListOptions.builder().prefix("k1").cursor(prefixed).build(), "for another prefix");
		assertRefused(store, KvListOptions.builder().prefix("k").cursor(cursor).build(), "for another prefix");
		// A cursor with a right check value but a key outside its prefix lists nothing.
		assertRefused(store,
				KvListOptions.builder()
					.prefix("a")
					.cursor(MemoryEntries.forgedCursor("demo", "a", "k0".getBytes(StandardCharsets.UTF_8)))
					.build(),
				"outside the prefix");
	}

	@Test
	void concurrentPutsAndReadsNeverSeeAMixOfTwoPuts() throws Exception {
		MemoryKvNamespace store = store("demo");
		AtomicInteger hits = new AtomicInteger();
		int threads = 8;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				boolean writer = t % 2 == 0;
				futures.add(executor.submit(() -> {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					for (int i = 0; i < 2000; i++) {
						String key = "k" + random.nextInt(3);
						if (writer) {
							byte fill = (byte) random.nextInt(1, 128);
							byte[] value = filled(random.nextInt(5000), fill);
							KvPutOptions options = KvPutOptions.builder()
								.metadata(Map.of("fill", fill, "size", value.length))
								.build();
							if (random.nextBoolean()) {
								store.put(key, value, options);
							}
							else {
								store.put(key, new ByteArrayInputStream(value), options);
							}
						}
						else {
							KvValue<byte[]> read = store.getWithMetadata(key, KvType.BYTES);
							if (read.value() != null) {
								assertThat(read.value()).hasSize(read.metadata().get("size").intValue());
								assertThat(allSame(read.value(), (byte) read.metadata().get("fill").intValue()))
									.isTrue();
								hits.incrementAndGet();
							}
							for (KvKey listed : store.list().keys()) {
								assertThat(listed.metadata().get("size").intValue()).isBetween(0, 4999);
							}
						}
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(hits.get()).isPositive();
		assertThat(MemoryEntries.of(store)).containsOnlyKeys("k0", "k1", "k2");
	}

	@Test
	void aMemoryStoreDescribesItsStorageAndAnswersPingsAtOnce() {
		MemoryKvNamespace store = store("demo");
		assertThat(store.describeStorage()).isEqualTo("memory (the application's heap)");
		assertThat(store.ping()).isZero();
		assertThat(store).hasToString("MemoryKvNamespace[demo, memory (the application's heap)]");
	}

	private MemoryKvNamespace store(String name) {
		return store(name, KvStoreSettings.defaults(name));
	}

	private MemoryKvNamespace store(String name, KvStoreSettings settings) {
		return new MemoryKvNamespace(name, settings, this.jsonMapper, this.clock, ObservationRegistry.NOOP);
	}

	// Every key from the cursor on, in pages of 3; every page but the last is full.
	private static List<String> listAll(MemoryKvNamespace store, @Nullable String cursor) {
		List<String> names = new ArrayList<>();
		do {
			KvListResult page = store.list(KvListOptions.builder().limit(3).cursor(cursor).build());
			if (!page.listComplete()) {
				assertThat(page.keys()).hasSize(3);
			}
			page.keys().forEach((key) -> names.add(key.name()));
			cursor = page.cursor();
		}
		while (cursor != null);
		return names;
	}

	private static List<String> keys(int from, int to, java.util.function.IntPredicate which) {
		return IntStream.range(from, to).filter(which).mapToObj((i) -> String.format("k%02d", i)).toList();
	}

	private static void assertRefused(MemoryKvNamespace store, KvListOptions options, String message) {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.list(options))
			.withMessageContaining("'cursor'")
			.withMessageContaining(message);
	}

	private static byte[] filled(int size, byte value) {
		byte[] bytes = new byte[size];
		Arrays.fill(bytes, value);
		return bytes;
	}

	private static boolean allSame(byte[] bytes, byte value) {
		for (byte b : bytes) {
			if (b != value) {
				return false;
			}
		}
		return true;
	}

}
