package io.kvstore.redis;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.kvstore.KvGetOptions;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.test.RedisExtension;
import io.kvstore.test.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache against a real Redis: HIT after MISS (missing keys too), invalidation by
 * another client, the race of an invalidation with a fill in flight, writes through the
 * store, expiry and cacheTtl, BYPASS, bulk reads, a lost channel and a silent one.
 */
@ExtendWith(RedisExtension.class)
class NearCacheTest {

	private static final Duration TIMEOUT = Duration.ofMillis(1000);

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private RedisServer redis;

	private RedisClient client;

	private KvRedisConnection connection;

	private RedisKvNamespace store;

	// Another application instance: the same store without near cache, on its own
	// connection.
	private KvRedisConnection otherConnection;

	private RedisKvNamespace other;

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@BeforeEach
	void start(RedisServer redis) {
		this.redis = redis;
		redis.flushAll();
		this.client = RedisClient.create(RedisURI.builder(redis.uri()).withTimeout(TIMEOUT).build());
		this.connection = new KvRedisConnection(this.client);
		this.store = nearCached(KvStoreSettings.defaults("demo"), KvNearCacheSettings.defaults());
		this.otherConnection = new KvRedisConnection(redis.client());
		this.other = new RedisKvNamespace("demo", KvStoreSettings.defaults("demo"), this.otherConnection,
				this.jsonMapper);
	}

	@AfterEach
	void stop() {
		this.store.close();
		this.connection.close();
		this.otherConnection.close();
		this.client.shutdown();
	}

	private RedisKvNamespace nearCached(KvStoreSettings settings, KvNearCacheSettings nearCache) {
		return new RedisKvNamespace("demo", settings, nearCache, this.connection, this.jsonMapper,
				java.time.Clock.systemUTC(), ObservationRegistry.NOOP);
	}

	private NearCache near() {
		return this.store.nearCache();
	}

	private KvValue<String> read(String key) {
		return this.store.getWithMetadata(key);
	}

	@Test
	void aReadIsAMissThenAHitAndAMissingKeyToo() {
		this.store.put("k", "v", KvPutOptions.builder().metadata(Map.of("a", 1)).build());
		assertThat(read("k")).satisfies((value) -> {
			assertThat(value.value()).isEqualTo("v");
			assertThat(value.metadata().toString()).isEqualTo("{\"a\":1}");
			assertThat(value.cacheStatus()).isEqualTo("MISS");
		});
		assertThat(read("k")).satisfies((value) -> {
			assertThat(value.value()).isEqualTo("v");
			assertThat(value.metadata().toString()).isEqualTo("{\"a\":1}");
			assertThat(value.cacheStatus()).isEqualTo("HIT");
		});
		assertThat(this.store.get("k")).isEqualTo("v");
		assertThat(read("missing")).isEqualTo(new KvValue<>(null, null, "MISS"));
		assertThat(read("missing")).isEqualTo(new KvValue<>(null, null, "HIT"));
		assertThat(this.store.get("missing")).isNull();
		assertThat(this.other.getWithMetadata("k").cacheStatus()).as("a store without near cache").isNull();
	}

	@Test
	void bytesFromTheNearCacheAreACopy() {
		this.store.put("k", new byte[] { 1, 2, 3 });
		this.store.get("k", KvType.BYTES)[0] = 9;
		byte[] hit = this.store.get("k", KvType.BYTES);
		hit[0] = 9;
		assertThat(this.store.getWithMetadata("k", KvType.BYTES).value()).containsExactly(1, 2, 3);
	}

	@Test
	void aWriteOfAnotherClientEvictsTheKey() {
		this.store.put("k", "v1");
		read("k");
		assertThat(read("k").cacheStatus()).isEqualTo("HIT");
		this.other.put("k", "v2");
		await(() -> "v2".equals(read("k").value()), "the near cache sees another instance's put");
		// And by a raw Lettuce client, field by field.
		assertThat(read("k").cacheStatus()).isEqualTo("HIT");
		this.redis.raw().hset("kv:demo:k", "v", "v3");
		await(() -> "v3".equals(read("k").value()), "the near cache sees a raw HSET");
		this.redis.raw().del("kv:demo:k");
		await(() -> read("k").value() == null, "the near cache sees a raw DEL");
		// A missing key that another client creates.
		assertThat(read("k").cacheStatus()).isEqualTo("HIT");
		this.other.put("k", "v4");
		await(() -> "v4".equals(read("k").value()), "the near cache sees a key created by another instance");
	}

	@Test
	void afterAMissAReadSoonAfterIsAHitAlsoRightAfterWrites() throws Exception {
		int keys = 200;
		for (int i = 0; i < keys; i++) {
			this.store.put("k" + i, "v0");
			read("k" + i);
			assertThat(read("k" + i)).isEqualTo(new KvValue<>("v0", null, "HIT"));
		}
		// Written through the store: Redis' invalidation of each write is still on its
		// way when the next read is sent; it must not cost that read its fill.
		for (int i = 0; i < keys; i++) {
			String key = "k" + i;
			switch (i % 3) {
				case 0 -> this.store.put(key, "v1");
				case 1 -> this.store.put(key, new ByteArrayInputStream("v1".getBytes(StandardCharsets.UTF_8)));
				default -> this.store.delete(key);
			}
			String expected = (i % 3 == 2) ? null : "v1";
			assertThat(read(key)).isEqualTo(new KvValue<>(expected, null, "MISS"));
			assertThat(read(key)).as("the read after the MISS of %s", key)
				.isEqualTo(new KvValue<>(expected, null, "HIT"));
		}
		// Written by another instance and by a raw client: the near cache may answer the
		// old value until the invalidation arrives (so poll); once a read is a MISS with
		// the new value, the next one is a HIT.
		for (int i = 0; i < keys; i++) {
			String key = "k" + i;
			String value = "v2-" + i;
			if (i % 2 == 0) {
				this.other.put(key, value);
			}
			else {
				this.redis.raw().hset("kv:demo:" + key, "v", value);
			}
			await(() -> value.equals(read(key).value()), "the near cache sees the write of " + key);
			assertThat(read(key)).as("the read after the MISS of %s", key).isEqualTo(new KvValue<>(value, null, "HIT"));
		}
		assertThat(near().cleanSize()).isEqualTo(keys);
	}

	@Test
	void anInvalidationThatArrivesWhileAFillIsInFlightWins() {
		this.store.put("k", "old");
		AtomicBoolean once = new AtomicBoolean();
		near().beforeInsert = () -> {
			if (once.compareAndSet(false, true)) {
				// The reply with "old" has arrived; another client writes now, and its
				// invalidation reaches the near cache before the fill is inserted.
				long before = near().channel().invalidations();
				this.other.put("k", "new");
				await(() -> near().channel().invalidations() > before, "the invalidation arrives");
			}
		};
		assertThat(read("k")).isEqualTo(new KvValue<>("old", null, "MISS"));
		near().beforeInsert = null;
		assertThat(near().cleanSize()).as("the old value is not kept").isZero();
		assertThat(read("k")).isEqualTo(new KvValue<>("new", null, "MISS"));
		assertThat(read("k")).isEqualTo(new KvValue<>("new", null, "HIT"));
	}

	@Test
	void aLocalInvalidationDuringAFillWinsToo() {
		this.store.put("k", "old");
		AtomicBoolean once = new AtomicBoolean();
		near().beforeInsert = () -> {
			if (once.compareAndSet(false, true)) {
				this.store.put("k", "new");
			}
		};
		assertThat(read("k").value()).isEqualTo("old");
		near().beforeInsert = null;
		assertThat(read("k")).isEqualTo(new KvValue<>("new", null, "MISS"));
	}

	@Test
	void writesThroughTheStoreAreVisibleToTheNextReadAtOnce() throws Exception {
		for (String key : List.of("a", "b", "c", "d")) {
			this.store.put(key, "v1");
			read(key);
		}
		this.store.put("a", "v2");
		assertThat(read("a").value()).isEqualTo("v2");
		this.store.put("b", new ByteArrayInputStream("v2".getBytes(StandardCharsets.UTF_8)));
		assertThat(read("b").value()).isEqualTo("v2");
		this.store.putJson("c", "v2");
		assertThat(read("c").value()).isEqualTo("\"v2\"");
		this.store.delete("d");
		assertThat(read("d").value()).isNull();
		for (String key : List.of("a", "b", "c")) {
			read(key);
		}
		this.store.delete(List.of("a", "b"));
		assertThat(read("a").value()).isNull();
		assertThat(read("b").value()).isNull();
		assertThat(read("c").cacheStatus()).isEqualTo("HIT");
		this.store.clear();
		assertThat(read("c").value()).isNull();
	}

	@Test
	void theNearCacheNeverAnswersPastTheKeysExpiryEvenBeforeRedisDeletesIt() {
		// A Redis of its own whose active expiry is off: an expired key stays until it is
		// read.
		try (RedisServer lazy = RedisServer.start(List.of("--enable-debug-command", "yes"))) {
			RedisClient lazyClient = RedisClient.create(RedisURI.builder(lazy.uri()).withTimeout(TIMEOUT).build());
			KvRedisConnection lazyConnection = new KvRedisConnection(lazyClient);
			RedisKvNamespace expiring = new RedisKvNamespace("demo",
					KvStoreSettings.defaults("demo").withMinTtl(Duration.ofSeconds(1)), KvNearCacheSettings.defaults(),
					lazyConnection, this.jsonMapper, java.time.Clock.systemUTC(), ObservationRegistry.NOOP);
			try {
				assertThat(debug(lazy, "SET-ACTIVE-EXPIRE", "0")).isTrue();
				expiring.put("k", "v", KvPutOptions.builder().expirationTtl(1).build());
				// Redis set the expiry before it answered: by now plus one second the key
				// has expired.
				long putAt = System.currentTimeMillis();
				assertThat(expiring.getWithMetadata("k").cacheStatus()).isEqualTo("MISS");
				KvValue<String> second = expiring.getWithMetadata("k");
				if (System.currentTimeMillis() < putAt + 900) {
					assertThat(second).isEqualTo(new KvValue<>("v", null, "HIT"));
				}
				await(() -> System.currentTimeMillis() > putAt + 1000, "the key's expiry passes");
				assertThat(lazy.raw().dbsize()).as("Redis has not deleted it yet").isOne();
				assertThat(expiring.nearCache().channel().invalidations()).as("Redis told nothing").isZero();
				assertThat(expiring.getWithMetadata("k")).isEqualTo(new KvValue<>(null, null, "MISS"));
			}
			finally {
				expiring.close();
				lazyConnection.close();
				lazyClient.shutdown();
			}
		}
	}

	@Test
	void aReadIsAnsweredForAtMostItsCacheTtl() {
		this.store.close();
		this.store = nearCached(KvStoreSettings.defaults("demo").withMinCacheTtl(Duration.ofSeconds(1)),
				new KvNearCacheSettings(100, Duration.ofSeconds(60), 1024));
		this.store.put("k", "v");
		KvGetOptions oneSecond = KvGetOptions.cacheTtl(1);
		long before = System.nanoTime();
		assertThat(this.store.getWithMetadata("k", KvType.TEXT, oneSecond).cacheStatus()).isEqualTo("MISS");
		long filled = System.nanoTime(); // Redis answered before this
		KvValue<String> hit = this.store.getWithMetadata("k", KvType.TEXT, oneSecond);
		if (System.nanoTime() - before < 900_000_000L) {
			assertThat(hit.cacheStatus()).isEqualTo("HIT");
		}
		await(() -> System.nanoTime() - filled > 1_000_000_000L, "one second passes");
		assertThat(this.store.getWithMetadata("k", KvType.TEXT, oneSecond).cacheStatus()).isEqualTo("MISS");
		// The default TTL (60 s) lets a read without cacheTtl hit what that read filled.
		assertThat(read("k").cacheStatus()).isEqualTo("HIT");
		assertThat(this.store.getWithMetadata("k", KvType.TEXT, KvGetOptions.cacheTtl(3600)).cacheStatus())
			.isEqualTo("HIT");
	}

	@Test
	void streamsAndValuesOverTheLimitBypassTheNearCache() throws Exception {
		this.store.close();
		this.store = nearCached(KvStoreSettings.defaults("demo"),
				new KvNearCacheSettings(100, Duration.ofSeconds(60), 10));
		this.store.put("small", "0123456789");
		this.store.put("large", "0123456789a");
		byte[] chunked = new byte[EntryLayout.CHUNK_SIZE + 10];
		chunked[5] = 7;
		this.store.put("chunked", chunked);
		assertThat(read("small").cacheStatus()).isEqualTo("MISS");
		assertThat(read("small").cacheStatus()).isEqualTo("HIT");
		assertThat(read("large")).isEqualTo(new KvValue<>("0123456789a", null, "BYPASS"));
		assertThat(read("large")).isEqualTo(new KvValue<>("0123456789a", null, "BYPASS"));
		KvValue<byte[]> large = this.store.getWithMetadata("chunked", KvType.BYTES);
		assertThat(large.cacheStatus()).isEqualTo("BYPASS");
		assertThat(large.value()).isEqualTo(chunked);
		KvValue<InputStream> stream = this.store.getWithMetadata("small", KvType.STREAM);
		assertThat(stream.cacheStatus()).isEqualTo("BYPASS");
		try (InputStream in = stream.value()) {
			assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("0123456789");
		}
		assertThat(near().cleanSize()).isOne();
	}

	@Test
	void bulkReadsUseTheNearCache() {
		this.store.put("a", "1");
		this.store.put("b", "2");
		Map<String, KvValue<String>> first = this.store.getWithMetadata(List.of("a", "b", "c"));
		assertThat(first).containsExactly(Map.entry("a", new KvValue<>("1", null, "MISS")),
				Map.entry("b", new KvValue<>("2", null, "MISS")), Map.entry("c", new KvValue<>(null, null, "MISS")));
		assertThat(read("a").cacheStatus()).isEqualTo("HIT");
		this.store.put("b", "3");
		Map<String, KvValue<String>> second = this.store.getWithMetadata(List.of("a", "b", "c", "d"));
		assertThat(second).containsExactly(Map.entry("a", new KvValue<>("1", null, "HIT")),
				Map.entry("b", new KvValue<>("3", null, "MISS")), Map.entry("c", new KvValue<>(null, null, "HIT")),
				Map.entry("d", new KvValue<>(null, null, "MISS")));
		assertThat(this.store.get(List.of("a", "b"))).containsExactly(Map.entry("a", "1"), Map.entry("b", "3"));
	}

	@Test
	void whileTheChannelIsDownReadsAreMissesAndTheCacheIsEmptiedBeforeUse() {
		this.store.put("k", "old");
		read("k");
		assertThat(read("k").cacheStatus()).isEqualTo("HIT");
		long before = near().channel().connects();
		// Kills every normal connection but the caller's: the tracking one and the shared
		// ones.
		this.redis.raw().clientKill(io.lettuce.core.KillArgs.Builder.typeNormal());
		// Written while nobody listens for this application.
		this.redis.raw().hset("kv:demo:k", "v", "new");
		await(() -> near().channel().connects() > before, "the channel is open again");
		assertThat(read("k")).isEqualTo(new KvValue<>("new", null, "MISS"));
		assertThat(read("k")).isEqualTo(new KvValue<>("new", null, "HIT"));
	}

	@Test
	void aLostTrackingConnectionEmptiesTheCacheAndReadsAreMisses() {
		this.store.put("k", "v");
		read("k");
		assertThat(near().cleanSize()).isOne();
		long before = near().channel().connects();
		this.redis.raw().clientKill(io.lettuce.core.KillArgs.Builder.id(near().channel().channelId()));
		await(() -> near().cleanSize() == 0, "the cache is emptied");
		await(() -> near().channel().connects() > before, "the channel is open again");
		assertThat(read("k")).isEqualTo(new KvValue<>("v", null, "MISS"));
		assertThat(read("k")).isEqualTo(new KvValue<>("v", null, "HIT"));
	}

	@Test
	void aChannelThatSilentlyStopsAnsweringIsNoticedWithinTheCommandTimeout() {
		this.store.put("k", "v");
		read("k");
		assertThat(read("k").cacheStatus()).isEqualTo("HIT");
		long paused = System.nanoTime();
		this.redis.raw().clientPause(3000);
		try {
			await(() -> !near().isConnected(), "the near cache stops answering");
			long noticed = System.nanoTime() - paused;
			assertThat(Duration.ofNanos(noticed)).isLessThanOrEqualTo(TIMEOUT.plusMillis(300));
			await(() -> near().cleanSize() == 0, "the cache is emptied");
		}
		finally {
			await(() -> near().isConnected(), "the channel is up again after the pause");
		}
		assertThat(read("k").cacheStatus()).isEqualTo("MISS");
		assertThat(read("k").cacheStatus()).isEqualTo("HIT");
	}

	@Test
	void worksOnRedis62() {
		org.junit.jupiter.api.Assumptions.assumeTrue(RedisServer.isRedis62Available(),
				"the packaged Redis 6.2 binary runs on Linux x86-64 only");
		RedisServer old = RedisServer.redis62();
		old.flushAll();
		RedisClient oldClient = RedisClient.create(RedisURI.builder(old.uri()).withTimeout(TIMEOUT).build());
		KvRedisConnection oldConnection = new KvRedisConnection(oldClient);
		RedisKvNamespace cached = new RedisKvNamespace("demo",
				KvStoreSettings.defaults("demo").withMinTtl(Duration.ofSeconds(1)), KvNearCacheSettings.defaults(),
				oldConnection, this.jsonMapper, java.time.Clock.systemUTC(), ObservationRegistry.NOOP);
		try {
			cached.put("k", "v1", KvPutOptions.builder().expirationTtl(60).build());
			assertThat(cached.getWithMetadata("k")).isEqualTo(new KvValue<>("v1", null, "MISS"));
			assertThat(cached.getWithMetadata("k")).isEqualTo(new KvValue<>("v1", null, "HIT"));
			old.raw().hset("kv:demo:k", "v", "v2");
			await(() -> "v2".equals(cached.getWithMetadata("k").value()), "Redis 6.2 invalidates");
		}
		finally {
			cached.close();
			oldConnection.close();
			oldClient.shutdown();
		}
	}

	private static boolean debug(RedisServer server, String... args) {
		try {
			server.raw()
				.dispatch(io.lettuce.core.protocol.CommandType.DEBUG,
						new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
						new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add(args[0])
							.add(args[1]));
			return true;
		}
		catch (RuntimeException ex) {
			return false; // DEBUG disabled (enable-debug-command no)
		}
	}

	private static void await(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Not within " + DEADLINE + ": " + what);
			}
			Thread.onSpinWait();
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

}
