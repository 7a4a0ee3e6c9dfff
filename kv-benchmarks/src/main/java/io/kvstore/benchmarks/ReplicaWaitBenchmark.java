package io.kvstore.benchmarks;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.kvstore.benchmarks.Sides.Counts;
import io.kvstore.benchmarks.Sides.Side;
import io.kvstore.benchmarks.Sides.Turn;
import io.kvstore.core.KvReplicaAckSettings;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
import io.micrometer.observation.ObservationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code redis.replicas-to-wait=1} costs a put: the same put through a store that
 * waits for one replica ("KV", {@code WAIT 1 1000} pipelined after the write) and through
 * one that does not ("KV without WAIT"), on the same connection, in turns. The Redis of
 * {@code kv.redis} must have a replica online; {@code --replica-wait} starts a master and
 * a replica of it for the run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class ReplicaWaitBenchmark {

	private static final int KEYS = 64;

	@Param({ "100", "10240" })
	int size;

	private BenchmarkRedis redis;

	private RedisKvNamespace waiting;

	private RedisKvNamespace plain;

	private byte[] value;

	private Sides sides;

	@Setup(Level.Trial)
	public void setUp() {
		this.redis = new BenchmarkRedis();
		String replication = BenchmarkRedis.await(this.redis.raw.info("replication"));
		if (!replication.contains("connected_slaves:1")) {
			throw new IllegalStateException("ReplicaWaitBenchmark needs a Redis with one replica online (run it with "
					+ "--replica-wait), but INFO replication says: " + replication);
		}
		JsonMapper json = JsonMapper.builder().build();
		KvStoreSettings settings = KvStoreSettings.defaults("wait");
		this.waiting = new RedisKvNamespace("wait", settings, null, new KvReplicaAckSettings(1, Duration.ofSeconds(1)),
				this.redis.connection, json, java.time.Clock.systemUTC(), ObservationRegistry.NOOP);
		this.plain = new RedisKvNamespace("wait", settings, this.redis.connection, json);
		this.value = new byte[this.size];
		new Random(this.size).nextBytes(this.value);
		this.sides = Sides.of(this::putWaiting, Side.KV_NO_WAIT, this::putPlain);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		BenchmarkRedis.await(this.redis.raw.flushall());
		this.redis.close();
	}

	@Benchmark
	public void putWaiting() {
		this.waiting.put("key-" + ThreadLocalRandom.current().nextInt(KEYS), this.value);
	}

	@Benchmark
	public void putPlain() {
		this.plain.put("key-" + ThreadLocalRandom.current().nextInt(KEYS), this.value);
	}

	@Benchmark
	public void turns(Turn turn, Counts counts) {
		this.sides.take(turn, counts);
	}

}
