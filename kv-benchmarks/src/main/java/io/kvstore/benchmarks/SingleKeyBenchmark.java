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
import io.lettuce.core.SetArgs;
import io.kvstore.benchmarks.Sides.Counts;
import io.kvstore.benchmarks.Sides.Side;
import io.kvstore.benchmarks.Sides.Turn;
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
 * Single-key operations through {@code KvNamespace}, beside raw Lettuce doing the least
 * that keeps the same data on the same connection, and beside the peers a Spring
 * developer would pick instead ({@link Peers}), all taking turns ({@link Sides}):
 * <ul>
 * <li>get: raw {@code GET}; Redisson {@code RBucket.get} of the JSON document; Spring
 * Data Redis {@code HMGET v};</li>
 * <li>put: raw {@code SET};</li>
 * <li>put with TTL and metadata: raw {@code SET key value PX ttl} (the target's
 * baseline), raw {@code HSET v m} + {@code PEXPIRE} pipelined (the same data as KV's),
 * Redisson {@code RBucket.set(document, ttl)}, Spring Data Redis
 * {@code MULTI DEL HSET PEXPIRE EXEC} and the same commands pipelined without
 * {@code MULTI};</li>
 * <li>getWithMetadata: raw {@code HMGET v m}; Redisson {@code RBucket.get}; Spring Data
 * Redis {@code HMGET v m};</li>
 * <li>delete: {@code DEL} on every side.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SingleKeyBenchmark {

	private static final int KEYS = 64;

	static final long TTL_MILLIS = 3_600_000;

	private static final byte[] VALUE_FIELD = "v".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] METADATA_FIELD = "m".getBytes(StandardCharsets.US_ASCII);

	private static final Map<String, Object> METADATA_MAP = Map.of("owner", "ada", "version", 1);

	private static final byte[] METADATA = "{\"owner\":\"ada\",\"version\":1}".getBytes(StandardCharsets.UTF_8);

	private static final SetArgs PX = SetArgs.Builder.px(TTL_MILLIS);

	@Param({ "100", "10240", "1048576" })
	int size;

	private BenchmarkRedis redis;

	private Peers peers;

	private RedisKvNamespace store;

	private RedisKvNamespace observedStore;

	private byte[] value;

	private String[] keys;

	private byte[][] rawKeys;

	private byte[][] rawHashKeys;

	private org.redisson.api.RBucket<Peers.Document>[] buckets;

	private String[] sdrKeys;

	private Peers.Document document;

	private Map<String, byte[]> sdrFields;

	private KvPutOptions withTtlAndMetadata;

	Sides get;

	Sides put;

	Sides putWithTtlAndMetadata;

	Sides getWithMetadata;

	Sides delete;

	Sides getObserved;

	@Setup(Level.Trial)
	@SuppressWarnings("unchecked")
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.peers = new Peers(BenchmarkRedis.address());
		this.store = this.redis.store("bench", KvStoreSettings.defaults("bench"));
		// The same store, observed into a meter registry: what kv.operations metrics
		// cost.
		io.micrometer.observation.ObservationRegistry observations = io.micrometer.observation.ObservationRegistry
			.create();
		observations.observationConfig()
			.observationHandler(new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(
					new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
		this.observedStore = new RedisKvNamespace("bench", KvStoreSettings.defaults("bench"), this.redis.connection,
				tools.jackson.databind.json.JsonMapper.builder().build(), java.time.Clock.systemUTC(), observations);
		this.value = new byte[this.size];
		new Random(this.size).nextBytes(this.value);
		this.document = new Peers.Document(this.value, METADATA_MAP);
		this.sdrFields = Map.of(Peers.VALUE, this.value, Peers.METADATA, METADATA);
		this.keys = new String[KEYS];
		this.rawKeys = new byte[KEYS][];
		this.rawHashKeys = new byte[KEYS][];
		this.buckets = new org.redisson.api.RBucket[KEYS];
		this.sdrKeys = new String[KEYS];
		this.withTtlAndMetadata = KvPutOptions.builder()
			.expirationTtl(TTL_MILLIS / 1000)
			.metadata(METADATA_MAP)
			.build();
		for (int i = 0; i < KEYS; i++) {
			this.keys[i] = "key-" + i;
			this.rawKeys[i] = ("raw:key-" + i).getBytes(StandardCharsets.UTF_8);
			this.rawHashKeys[i] = ("rawhash:key-" + i).getBytes(StandardCharsets.UTF_8);
			this.buckets[i] = this.peers.bucket("redisson:key-" + i);
			this.sdrKeys[i] = "sdr:key-" + i;
			this.store.put(this.keys[i], this.value, this.withTtlAndMetadata);
			BenchmarkRedis.await(this.redis.raw.set(this.rawKeys[i], this.value));
			BenchmarkRedis.await(this.redis.raw.hset(this.rawHashKeys[i],
					Map.of(VALUE_FIELD, this.value, METADATA_FIELD, METADATA)));
			this.buckets[i].set(this.document, java.time.Duration.ofMillis(TTL_MILLIS));
			this.peers.sdrPutAtomic(this.sdrKeys[i], this.sdrFields, TTL_MILLIS);
		}
		this.get = Sides.of(this::kvGet, Side.RAW, (Runnable) this::rawGet, Side.REDISSON, (Runnable) this::redissonGet,
				Side.SDR, (Runnable) this::sdrGet);
		this.put = Sides.of(this::kvPut, Side.RAW, this::rawPut);
		this.putWithTtlAndMetadata = Sides.of(this::kvPutWithTtlAndMetadata, Side.RAW, (Runnable) this::rawPutPx,
				Side.RAW_HASH, (Runnable) this::rawPutWithTtlAndMetadata, Side.REDISSON, (Runnable) this::redissonPut,
				Side.SDR, (Runnable) this::sdrPutAtomic, Side.SDR_PIPELINED, (Runnable) this::sdrPutPipelined);
		this.getWithMetadata = Sides.of(this::kvGetWithMetadata, Side.RAW, (Runnable) this::rawGetWithMetadata,
				Side.REDISSON, (Runnable) this::redissonGet, Side.SDR, (Runnable) this::sdrGetWithMetadata);
		this.delete = Sides.of(this::kvDelete, Side.RAW, (Runnable) this::rawDelete, Side.REDISSON,
				(Runnable) this::redissonDelete, Side.SDR, (Runnable) this::sdrDelete);
		this.getObserved = Sides.of(this::kvGetObserved, Side.RAW, this::kvGet);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		BenchmarkRedis.await(this.redis.raw.flushall());
		this.peers.close();
		this.redis.close();
	}

	private static int next() {
		return ThreadLocalRandom.current().nextInt(KEYS);
	}

	// ---- get ----

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
	public byte[] redissonGet() {
		return this.buckets[next()].get().value;
	}

	@Benchmark
	public byte[] sdrGet() {
		return this.peers.sdrGet(this.sdrKeys[next()]);
	}

	// ---- put ----

	@Benchmark
	public void kvPut() {
		this.store.put(this.keys[next()], this.value);
	}

	@Benchmark
	public String rawPut() {
		return BenchmarkRedis.await(this.redis.raw.set(this.rawKeys[next()], this.value));
	}

	// ---- put with TTL and metadata ----

	@Benchmark
	public void kvPutWithTtlAndMetadata() {
		this.store.put(this.keys[next()], this.value, this.withTtlAndMetadata);
	}

	@Benchmark
	public String rawPutPx() {
		return BenchmarkRedis.await(this.redis.raw.set(this.rawKeys[next()], this.value, PX));
	}

	@Benchmark
	public Boolean rawPutWithTtlAndMetadata() {
		byte[] key = this.rawHashKeys[next()];
		RedisFuture<Long> hset = this.redis.raw.hset(key, Map.of(VALUE_FIELD, this.value, METADATA_FIELD, METADATA));
		RedisFuture<Boolean> expire = this.redis.raw.pexpire(key, TTL_MILLIS);
		BenchmarkRedis.await(hset);
		return BenchmarkRedis.await(expire);
	}

	@Benchmark
	public void redissonPut() {
		this.buckets[next()].set(this.document, java.time.Duration.ofMillis(TTL_MILLIS));
	}

	@Benchmark
	public Object sdrPutAtomic() {
		return this.peers.sdrPutAtomic(this.sdrKeys[next()], this.sdrFields, TTL_MILLIS);
	}

	@Benchmark
	public Object sdrPutPipelined() {
		return this.peers.sdrPutPipelined(this.sdrKeys[next()], this.sdrFields, TTL_MILLIS);
	}

	// ---- get with metadata ----

	@Benchmark
	public KvValue<byte[]> kvGetWithMetadata() {
		return this.store.getWithMetadata(this.keys[next()], KvType.BYTES);
	}

	@Benchmark
	public java.util.List<KeyValue<byte[], byte[]>> rawGetWithMetadata() {
		return BenchmarkRedis.await(this.redis.raw.hmget(this.rawHashKeys[next()], VALUE_FIELD, METADATA_FIELD));
	}

	@Benchmark
	public java.util.List<byte[]> sdrGetWithMetadata() {
		return this.peers.sdrGetWithMetadata(this.sdrKeys[next()]);
	}

	// ---- delete ----

	@Benchmark
	public void kvDelete() {
		this.store.delete(this.keys[next()]);
	}

	@Benchmark
	public Long rawDelete() {
		return BenchmarkRedis.await(this.redis.raw.del(this.rawKeys[next()]));
	}

	@Benchmark
	public boolean redissonDelete() {
		return this.buckets[next()].delete();
	}

	@Benchmark
	public Boolean sdrDelete() {
		return this.peers.sdrDelete(this.sdrKeys[next()]);
	}

	// ---- every side in turns ----
	// One iteration runs KV operations, the next another side's, and so on (Sides): all
	// see the same machine, however its speed drifts during the run.

	@Benchmark
	public void turnsGet(Turn turn, Counts counts) {
		this.get.take(turn, counts);
	}

	@Benchmark
	public void turnsPut(Turn turn, Counts counts) {
		this.put.take(turn, counts);
	}

	@Benchmark
	public void turnsPutWithTtlAndMetadata(Turn turn, Counts counts) {
		this.putWithTtlAndMetadata.take(turn, counts);
	}

	@Benchmark
	public void turnsGetWithMetadata(Turn turn, Counts counts) {
		this.getWithMetadata.take(turn, counts);
	}

	@Benchmark
	public void turnsDelete(Turn turn, Counts counts) {
		this.delete.take(turn, counts);
	}

	/**
	 * Observation's cost: "KV" is the observed store, "raw" the same store without a
	 * registry.
	 */
	@Benchmark
	public void turnsGetObserved(Turn turn, Counts counts) {
		this.getObserved.take(turn, counts);
	}

}
