package io.kvstore.benchmarks;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.kvstore.KvPutOptions;
import io.kvstore.benchmarks.Sides.Counts;
import io.kvstore.benchmarks.Sides.Side;
import io.kvstore.benchmarks.Sides.Turn;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.KvRedisConnection;
import io.kvstore.redis.RedisKvNamespace;
import io.kvstore.redis.RestoreMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the {@code RESTORE} limit belongs, end to end: a put with TTL and metadata
 * through the store as it is ("KV": one {@code RESTORE} up to 16 KiB) and through a store
 * whose connection never uses {@code RESTORE} ("KV staged", {@link RestoreMode#NEVER}:
 * above 1 KiB {@code HSET} + {@code PEXPIRE} + {@code EVALSHA}, one round trip), in
 * turns.
 * <p>
 * {@code java -jar benchmarks.jar 'PutFormsBenchmark.turns' -t 1 -wi 4 -i 40 -w 250ms -r 250ms}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 40, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class PutFormsBenchmark {

	private static final int KEYS = 64;

	@Param({ "4096", "8192", "10240", "12288", "16384" })
	int size;

	private BenchmarkRedis redis;

	private KvRedisConnection stagedConnection;

	private RedisKvNamespace restoring;

	private RedisKvNamespace staging;

	private byte[] value;

	private KvPutOptions options;

	private Sides sides;

	@Setup(Level.Trial)
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.stagedConnection = new KvRedisConnection(this.redis.factory, RestoreMode.NEVER);
		this.restoring = this.redis.store("forms", KvStoreSettings.defaults("forms"));
		this.staging = new RedisKvNamespace("forms", KvStoreSettings.defaults("forms"), this.stagedConnection,
				tools.jackson.databind.json.JsonMapper.builder().build());
		this.value = new byte[this.size];
		new Random(this.size).nextBytes(this.value);
		this.options = KvPutOptions.builder()
			.expirationTtl(3600)
			.metadata(Map.of("owner", "ada", "version", 1))
			.build();
		this.sides = Sides.of(this::restore, Side.KV_STAGED, this::staged);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		BenchmarkRedis.await(this.redis.raw.flushall());
		this.stagedConnection.close();
		this.redis.close();
	}

	@Benchmark
	public void restore() {
		this.restoring.put("key-" + ThreadLocalRandom.current().nextInt(KEYS), this.value, this.options);
	}

	@Benchmark
	public void staged() {
		this.staging.put("key-" + ThreadLocalRandom.current().nextInt(KEYS), this.value, this.options);
	}

	@Benchmark
	public void turns(Turn turn, Counts counts) {
		this.sides.take(turn, counts);
	}

}
