package io.kvstore.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.kvstore.KvListOptions;
import io.kvstore.KvListResult;
import io.kvstore.KvPutOptions;
import io.kvstore.benchmarks.Sides.Counts;
import io.kvstore.benchmarks.Sides.Side;
import io.kvstore.benchmarks.Sides.Turn;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
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

/**
 * Listing 1000 keys with their metadata and expiry, each side taking turns
 * ({@link Sides}): KV's {@code list()} (one page of 1000), raw Lettuce over the same
 * entries ({@link ListBenchmark#rawList}), Redisson over its JSON documents and Spring
 * Data Redis over its hashes ({@link Peers}). Every side has 1000 entries of 100 B with
 * metadata and a time to live in the same Redis, 4000 keys in all, so every side's
 * {@code SCAN} also passes over the other sides' keys.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ListPageBenchmark {

	static final int KEYS = 1000;

	private BenchmarkRedis redis;

	private Peers peers;

	private RedisKvNamespace store;

	Sides list;

	@Setup(Level.Trial)
	public void setUp() {
		this.redis = new BenchmarkRedis();
		BenchmarkRedis.await(this.redis.raw.flushall());
		this.peers = new Peers(BenchmarkRedis.address());
		this.store = this.redis.store("page", KvStoreSettings.defaults("page"));
		byte[] value = new byte[100];
		new Random(100).nextBytes(value);
		Map<String, Object> metadata = Map.of("owner", "ada", "version", 1);
		KvPutOptions options = KvPutOptions.builder().expirationTtl(3600).metadata(metadata).build();
		Peers.Document document = new Peers.Document(value, metadata);
		Map<String, byte[]> fields = Map.of(Peers.VALUE, value, Peers.METADATA,
				"{\"owner\":\"ada\",\"version\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		for (int i = 0; i < KEYS; i++) {
			this.store.put("key-" + i, value, options);
			this.peers.bucket("redisson-page:key-" + i).set(document, Duration.ofHours(1));
			this.peers.sdrPutPipelined("sdr-page:key-" + i, fields, 3_600_000);
		}
		this.list = Sides.of(this::kvList, Side.RAW, (Runnable) this::rawList, Side.REDISSON,
				(Runnable) this::redissonList, Side.SDR, (Runnable) this::sdrList);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		BenchmarkRedis.await(this.redis.raw.flushall());
		this.peers.close();
		this.redis.close();
	}

	@Benchmark
	public int kvList() {
		KvListResult page = this.store.list(KvListOptions.builder().limit(KEYS).build());
		if (page.cursor() != null) {
			throw new IllegalStateException("Expected one page of " + KEYS + " keys");
		}
		return check(page.keys().size());
	}

	@Benchmark
	public int rawList() {
		return check(ListBenchmark.rawList(this.redis, "kv:page:*"));
	}

	@Benchmark
	public int redissonList() {
		return check(this.peers.redissonList("redisson-page:*"));
	}

	@Benchmark
	public int sdrList() {
		return check(this.peers.sdrList("sdr-page:*"));
	}

	@Benchmark
	public void turnsList(Turn turn, Counts counts) {
		this.list.take(turn, counts);
	}

	private static int check(int count) {
		if (count != KEYS) {
			throw new IllegalStateException("Listed " + count + " keys, expected " + KEYS);
		}
		return count;
	}

}
