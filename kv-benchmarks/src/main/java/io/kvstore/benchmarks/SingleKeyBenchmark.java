package io.kvstore.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Single-key operations through {@code KvNamespace} beside raw Lettuce doing the least that
 * keeps the same data, on the same connection: {@code GET}/{@code SET} for a value,
 * {@code HSET} of value and metadata plus {@code PEXPIRE} (pipelined) for a value with TTL and
 * metadata, {@code HMGET} of value and metadata, {@code DEL}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SingleKeyBenchmark {

	private static final int KEYS = 64;

	private static final byte[] VALUE_FIELD = "v".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] METADATA_FIELD = "m".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] METADATA = "{\"owner\":\"ada\",\"version\":1}".getBytes(StandardCharsets.UTF_8);

	@Param({ "100", "10240", "1048576" })
	int size;

	private BenchmarkRedis redis;

	private RedisKvNamespace store;

	private RedisKvNamespace observedStore;

	private byte[] value;

	private String[] keys;

	private byte[][] rawKeys;

	private byte[][] rawHashKeys;

	private KvPutOptions withTtlAndMetadata;

	@Setup(Level.Trial)
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.store = this.redis.store("bench", KvStoreSettings.defaults("bench"));
		// The same store, observed into a meter registry: what kv.operations metrics cost.
		io.micrometer.observation.ObservationRegistry observations = io.micrometer.observation.ObservationRegistry.create();
		observations.observationConfig()
			.observationHandler(new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(
					new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
		this.observedStore = new RedisKvNamespace("bench", KvStoreSettings.defaults("bench"), this.redis.connection,
				tools.jackson.databind.json.JsonMapper.builder().build(), java.time.Clock.systemUTC(), observations);
		this.value = new byte[this.size];
		new Random(this.size).nextBytes(this.value);
		this.keys = new String[KEYS];
		this.rawKeys = new byte[KEYS][];
		this.rawHashKeys = new byte[KEYS][];
		this.withTtlAndMetadata = KvPutOptions.builder()
			.expirationTtl(3600)
			.metadata(Map.of("owner", "ada", "version", 1))
			.build();
		for (int i = 0; i < KEYS; i++) {
			this.keys[i] = "key-" + i;
			this.rawKeys[i] = ("raw:key-" + i).getBytes(StandardCharsets.UTF_8);
			this.rawHashKeys[i] = ("rawhash:key-" + i).getBytes(StandardCharsets.UTF_8);
			this.store.put(this.keys[i], this.value, this.withTtlAndMetadata);
			BenchmarkRedis.await(this.redis.raw.set(this.rawKeys[i], this.value));
			BenchmarkRedis.await(this.redis.raw.hset(this.rawHashKeys[i], Map.of(VALUE_FIELD, this.value, METADATA_FIELD, METADATA)));
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		BenchmarkRedis.await(this.redis.raw.flushall());
		this.redis.close();
	}

	private static int next() {
		return ThreadLocalRandom.current().nextInt(KEYS);
	}

	@Benchmark
	public byte[] kvGet() {
		return this.store.get(this.keys[next()], KvType.BYTES);
	}

	@Benchmark
	public byte[] kvGetObserved() {
		return this.observedStore.get(this.keys[next()], KvType.BYTES);
	}

	@Benchmark
	public byte[] rawGet() {
		return BenchmarkRedis.await(this.redis.raw.get(this.rawKeys[next()]));
	}

	@Benchmark
	public void kvPut() {
		this.store.put(this.keys[next()], this.value);
	}

	@Benchmark
	public String rawPut() {
		return BenchmarkRedis.await(this.redis.raw.set(this.rawKeys[next()], this.value));
	}

	@Benchmark
	public void kvPutWithTtlAndMetadata() {
		this.store.put(this.keys[next()], this.value, this.withTtlAndMetadata);
	}

	@Benchmark
	public Boolean rawPutWithTtlAndMetadata() {
		byte[] key = this.rawHashKeys[next()];
		RedisFuture<Long> hset = this.redis.raw.hset(key, Map.of(VALUE_FIELD, this.value, METADATA_FIELD, METADATA));
		RedisFuture<Boolean> expire = this.redis.raw.pexpire(key, 3_600_000);
		BenchmarkRedis.await(hset);
		return BenchmarkRedis.await(expire);
	}

	@Benchmark
	public KvValue<byte[]> kvGetWithMetadata() {
		return this.store.getWithMetadata(this.keys[next()], KvType.BYTES);
	}

	@Benchmark
	public java.util.List<KeyValue<byte[], byte[]>> rawGetWithMetadata() {
		return BenchmarkRedis.await(this.redis.raw.hmget(this.rawHashKeys[next()], VALUE_FIELD, METADATA_FIELD));
	}

	// ---- KV and raw in turns ----
	// One iteration runs KV operations, the next the raw ones, and so on: both see the same
	// machine, however its speed drifts during the run. The ratio of their operation counts
	// over an even number of iterations is the throughput ratio (with one thread, the inverse
	// of the time ratio).

	@Benchmark
	public void turnsGet(Turn turn, Counts counts) {
		counts.take(turn, this::kvGet, this::rawGet);
	}

	@Benchmark
	public void turnsPut(Turn turn, Counts counts) {
		counts.take(turn, this::kvPut, this::rawPut);
	}

	@Benchmark
	public void turnsPutWithTtlAndMetadata(Turn turn, Counts counts) {
		counts.take(turn, this::kvPutWithTtlAndMetadata, this::rawPutWithTtlAndMetadata);
	}

	@Benchmark
	public void turnsGetWithMetadata(Turn turn, Counts counts) {
		counts.take(turn, this::kvGetWithMetadata, this::rawGetWithMetadata);
	}

	@Benchmark
	public void turnsDelete(Turn turn, Counts counts) {
		counts.take(turn, this::kvDelete, this::rawDelete);
	}

	/** Observation's cost: "KV" is the observed store, "raw" the same store without a registry. */
	@Benchmark
	public void turnsGetObserved(Turn turn, Counts counts) {
		counts.take(turn, this::kvGetObserved, this::kvGet);
	}

	/** Whose turn it is: KV in one iteration, raw in the next. */
	@State(Scope.Benchmark)
	public static class Turn {

		volatile boolean kv;

		@Setup(Level.Iteration)
		public void next() {
			this.kv = !this.kv;
		}

	}

	/** Operations done per thread, by KV and by raw Lettuce, reported beside the score. */
	@AuxCounters(AuxCounters.Type.EVENTS)
	@State(Scope.Thread)
	public static class Counts {

		public long kvOperations;

		public long rawOperations;

		@Setup(Level.Iteration)
		public void reset() {
			this.kvOperations = 0;
			this.rawOperations = 0;
		}

		// Runs this turn's side once and counts it.
		void take(Turn turn, Runnable kv, Runnable raw) {
			if (turn.kv) {
				kv.run();
				this.kvOperations++;
			}
			else {
				raw.run();
				this.rawOperations++;
			}
		}

	}

	@Benchmark
	public void kvDelete() {
		this.store.delete(this.keys[next()]);
	}

	@Benchmark
	public Long rawDelete() {
		return BenchmarkRedis.await(this.redis.raw.del(this.rawKeys[next()]));
	}

}
