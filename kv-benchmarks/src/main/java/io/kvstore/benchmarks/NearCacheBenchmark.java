package io.kvstore.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.kvstore.KvType;
import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.KvNearCacheStatistics;
import io.kvstore.redis.RedisKvNamespace;
import io.kvstore.benchmarks.Sides.Side;
import io.kvstore.benchmarks.TurnResults.Turns;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The near cache on one thread, its sides taking turns of 250 ms in one JVM
 * ({@link Sides}): "KV" is a store with a near cache, "raw" the same operation on a store
 * without one, on the same connection and Redis, values of 100 B.
 * <ul>
 * <li>{@code turnsHit}: a near-cache hit against a get from Redis (target: at least 50
 * times as fast);
 * <li>{@code turnsMiss}: a miss (10,000 keys read in turn through a near cache of one
 * entry, so nearly every read misses and fills) against a get from Redis (target: at most
 * 1.10);
 * <li>{@code turnsPut}: a put through the store with a near cache against one without
 * (target: at most 1.10).
 * </ul>
 * {@link #main} runs them, then {@link NearCacheMeasurement} (the hit ratio right after
 * writes, the invalidation latency), and prints a report.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 40, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class NearCacheBenchmark {

	static final int MISS_KEYS = 10_000;

	private BenchmarkRedis redis;

	private RedisKvNamespace cached;

	private RedisKvNamespace missing;

	private RedisKvNamespace plain;

	private byte[] value;

	private String[] keys;

	private int next;

	@Setup(Level.Trial)
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.cached = this.redis.store("cached", KvStoreSettings.defaults("cached"), KvNearCacheSettings.defaults());
		// One entry for 10,000 keys read in turn: nearly every read is a miss that fills.
		this.missing = this.redis.store("cached", KvStoreSettings.defaults("cached"),
				new KvNearCacheSettings(1, Duration.ofSeconds(60), 64 * 1024));
		this.plain = this.redis.store("cached", KvStoreSettings.defaults("cached"));
		this.value = new byte[100];
		new Random(100).nextBytes(this.value);
		this.keys = new String[MISS_KEYS];
		for (int i = 0; i < MISS_KEYS; i++) {
			this.keys[i] = "key-" + i;
			this.plain.put(this.keys[i], this.value);
		}
		// Every side reads the value written; the hit side hits, the miss side misses.
		check(hit());
		check(hit());
		check(redisGet());
		check(miss());
		KvNearCacheStatistics hits = this.cached.nearCacheStatistics();
		KvNearCacheStatistics misses = this.missing.nearCacheStatistics();
		for (int i = 0; i < 2 * MISS_KEYS; i++) {
			check(miss());
		}
		if (hits.hitCount() < 1 || misses.hitCount() > MISS_KEYS / 100) {
			throw new IllegalStateException("hits " + hits.hitCount() + ", hits of the miss side " + misses.hitCount()
					+ " of " + misses.missCount());
		}
	}

	private void check(byte[] read) {
		if (!Arrays.equals(read, this.value)) {
			throw new IllegalStateException("A side did not read the value written");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.cached.close();
		this.missing.close();
		BenchmarkRedis.await(this.redis.raw.flushall());
		this.redis.close();
	}

	@Benchmark
	public byte[] hit() {
		return this.cached.get("key-0", KvType.BYTES);
	}

	@Benchmark
	public byte[] redisGet() {
		return this.plain.get("key-0", KvType.BYTES);
	}

	@Benchmark
	public byte[] miss() {
		return this.missing.get(nextKey(), KvType.BYTES);
	}

	@Benchmark
	public byte[] redisGetOfMany() {
		return this.plain.get(nextKey(), KvType.BYTES);
	}

	private String nextKey() {
		int i = this.next;
		this.next = (i + 1 == MISS_KEYS) ? 0 : i + 1;
		return this.keys[i];
	}

	@Benchmark
	public void putNearCached() {
		this.cached.put("put", this.value);
	}

	@Benchmark
	public void putPlain() {
		this.plain.put("put", this.value);
	}

	/** "KV": a near-cache hit; "raw": a get from Redis of a store without near cache. */
	@Benchmark
	public void turnsHit(Sides.Turn turn, Sides.Counts counts) {
		Sides.of(this::hit, Side.RAW, this::redisGet).take(turn, counts);
	}

	/** "KV": a near-cache miss; "raw": a get from Redis of a store without near cache. */
	@Benchmark
	public void turnsMiss(Sides.Turn turn, Sides.Counts counts) {
		Sides.of(this::miss, Side.RAW, this::redisGetOfMany).take(turn, counts);
	}

	/** "KV": a put through a store with a near cache; "raw": one without. */
	@Benchmark
	public void turnsPut(Sides.Turn turn, Sides.Counts counts) {
		Sides.of(this::putNearCached, Side.RAW, this::putPlain).take(turn, counts);
	}

	/**
	 * Runs the three turns benchmarks on one thread and the measurements after writes,
	 * against one Redis ({@code -Dkv.redis}, or one started here), and prints a report.
	 * With {@code -Dkv.turns=Miss} (or {@code Hit}, {@code Put}) only that benchmark
	 * runs, and no measurement after writes: a quick look at one figure.
	 */
	public static void main(String[] args) throws Exception {
		String address = BenchmarkRedis.address();
		String only = System.getProperty("kv.turns", "");
		Collection<RunResult> results = new Runner(
				new OptionsBuilder().include(NearCacheBenchmark.class.getName() + "\\.turns" + only)
					.threads(1)
					.jvmArgsAppend("-Dkv.redis=" + address)
					.build())
			.run();
		Map<String, Map<Side, Turns>> turns = TurnResults.of(results);
		StringBuilder report = new StringBuilder();
		report.append(Reports.runOn("Redis at " + address))
			.append(".\n\n| comparison | near cache µs | Redis µs | figure | target |\n| --- | --- | --- | --- | --- |\n");
		if (turns.containsKey("turnsHit")) {
			Turns hit = turns.get("turnsHit").get(Side.RAW);
			row(report, "get from Redis / near-cache hit (time)", hit, 1 / hit.timeRatio(), "at least 50");
		}
		if (turns.containsKey("turnsMiss")) {
			Turns miss = turns.get("turnsMiss").get(Side.RAW);
			row(report, "near-cache miss / get from Redis (time)", miss, miss.timeRatio(), "at most 1.10");
		}
		if (turns.containsKey("turnsPut")) {
			Turns put = turns.get("turnsPut").get(Side.RAW);
			row(report, "put with near cache / without (time)", put, put.timeRatio(), "at most 1.10");
		}
		report.append('\n');
		if (only.isEmpty()) {
			try (BenchmarkRedis redis = new BenchmarkRedis()) {
				NearCacheMeasurement.run(redis, report);
			}
		}
		System.out.println();
		System.out.println(report);
		System.exit(0);
	}

	private static void row(StringBuilder report, String comparison, Turns turns, double figure, String target) {
		report.append("| ")
			.append(comparison)
			.append(" | ")
			.append(format(turns.kvMicros()))
			.append(" | ")
			.append(format(turns.sideMicros()))
			.append(" | ")
			.append(format(figure))
			.append(" | ")
			.append(target)
			.append(" |\n");
	}

	static String format(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
