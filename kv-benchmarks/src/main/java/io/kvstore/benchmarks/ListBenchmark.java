package io.kvstore.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.kvstore.KvListOptions;
import io.kvstore.KvListResult;
import io.kvstore.KvPutOptions;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
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
 * A full listing of a store of 100,000 keys in a Redis that also holds 900,000 keys of
 * other stores: {@code KvNamespace.list} page by page (1000 keys a page), beside raw
 * {@code SCAN MATCH kv:bench:* COUNT 1000} with what the same data needs for every batch,
 * pipelined: per key {@code HMGET n m} (length, metadata) and {@code PEXPIRETIME}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class ListBenchmark {

	static final int STORE_KEYS = 100_000;

	static final int OTHER_KEYS = 900_000;

	static final byte[][] FIELDS = { "n".getBytes(StandardCharsets.US_ASCII), "m".getBytes(StandardCharsets.US_ASCII) };

	private BenchmarkRedis redis;

	private RedisKvNamespace store;

	@Setup(Level.Trial)
	public void setUp() {
		this.redis = new BenchmarkRedis();
		BenchmarkRedis.await(this.redis.raw.flushall());
		this.store = this.redis.store("bench", KvStoreSettings.defaults("bench"));
		RedisKvNamespace other = this.redis.store("other", KvStoreSettings.defaults("other"));
		KvPutOptions options = KvPutOptions.builder().metadata(Map.of("owner", "ada")).build();
		fill(this.store, STORE_KEYS, options);
		fill(other, OTHER_KEYS, KvPutOptions.none());
	}

	// Many puts at once over the shared connection: Lettuce pipelines them.
	private static void fill(RedisKvNamespace store, int count, KvPutOptions options) {
		List<Thread> threads = new ArrayList<>();
		int workers = 32;
		for (int w = 0; w < workers; w++) {
			int worker = w;
			Thread thread = new Thread(() -> {
				for (int i = worker; i < count; i += workers) {
					store.put("key-" + i, "value", options);
				}
			});
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		BenchmarkRedis.await(this.redis.raw.flushall());
		this.redis.close();
	}

	@Benchmark
	public int kvFullListing() {
		int count = 0;
		String cursor = null;
		do {
			KvListResult page = this.store.list(KvListOptions.builder().cursor(cursor).build());
			count += page.keys().size();
			cursor = page.cursor();
		}
		while (cursor != null);
		return check(count);
	}

	@Benchmark
	public int rawFullListing() {
		return check(rawList(this.redis, "kv:bench:*"));
	}

	/**
	 * Every key matching a pattern with length, metadata and expiry:
	 * {@code SCAN MATCH COUNT
	 * 1000}, then per batch one pipeline of {@code HMGET n m} and {@code PEXPIRETIME} per
	 * key.
	 * @return how many keys were found with their entry still there
	 */
	static int rawList(BenchmarkRedis redis, String pattern) {
		int count = 0;
		ScanArgs args = ScanArgs.Builder.matches(pattern.getBytes(StandardCharsets.UTF_8)).limit(1000);
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<byte[]> batch = BenchmarkRedis.await(redis.raw.scan(cursor, args));
			List<RedisFuture<List<KeyValue<byte[], byte[]>>>> reads = new ArrayList<>(batch.getKeys().size());
			List<RedisFuture<Long>> expiries = new ArrayList<>(batch.getKeys().size());
			for (byte[] key : batch.getKeys()) {
				reads.add(redis.raw.hmget(key, FIELDS));
				expiries.add(redis.raw.pexpiretime(key));
			}
			for (int i = 0; i < reads.size(); i++) {
				boolean present = BenchmarkRedis.await(reads.get(i)).get(0).hasValue();
				if (BenchmarkRedis.await(expiries.get(i)) != -2 && present) {
					count++;
				}
			}
			cursor = batch;
		}
		while (!cursor.isFinished());
		return count;
	}

	private static int check(int count) {
		if (count != STORE_KEYS) {
			throw new IllegalStateException("Listed " + count + " keys, expected " + STORE_KEYS);
		}
		return count;
	}

}
