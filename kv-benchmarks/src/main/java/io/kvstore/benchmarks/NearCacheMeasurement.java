package io.kvstore.benchmarks;

import java.util.Arrays;
import java.util.Objects;

import io.kvstore.KvValue;
import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;

/**
 * What the near cache does right after writes, on one thread, values of 100 B:
 * <ul>
 * <li>the hit ratio right after writes: 1000 cached keys, each written once (through the
 * store, or by another client with a raw {@code HSET}), then read until it answers the
 * new value (a {@code MISS}) and once more: how often that read is a {@code HIT};
 * <li>the invalidation latency: another client writes a cached key ({@code HSET} on a
 * connection of its own, from the moment it is sent) until the near cache answers the new
 * value, read in a busy loop; 200 warm-up samples, then 2000, p50 / p99 / max.
 * </ul>
 */
final class NearCacheMeasurement {

	private static final int KEYS = 1000;

	private static final int WARM_UP = 200;

	private static final int SAMPLES = 2000;

	private static final long DEADLINE_NANOS = 10_000_000_000L;

	private NearCacheMeasurement() {
	}

	static void run(BenchmarkRedis redis, StringBuilder report) {
		RedisKvNamespace store = redis.store("after", KvStoreSettings.defaults("after"),
				KvNearCacheSettings.defaults());
		try {
			String filler = "x".repeat(90);
			for (int i = 0; i < KEYS; i++) {
				store.put("k" + i, filler + "-0");
				store.get("k" + i);
			}
			int ownHits = 0;
			int otherHits = 0;
			for (int i = 0; i < KEYS; i++) {
				String key = "k" + i;
				store.put(key, filler + "-1");
				store.getWithMetadata(key);
				ownHits += isHit(store.getWithMetadata(key)) ? 1 : 0;
			}
			for (int i = 0; i < KEYS; i++) {
				String key = "k" + i;
				String value = filler + "-2";
				BenchmarkRedis.await(redis.raw.hset(NearCacheBenchmark.utf8("kv:after:" + key),
						NearCacheBenchmark.utf8("v"), NearCacheBenchmark.utf8(value)));
				awaitValue(store, key, value);
				otherHits += isHit(store.getWithMetadata(key)) ? 1 : 0;
			}
			report
				.append("| after a write and a MISS, the next read is a HIT | ratio | target |\n| --- | --- | --- |\n")
				.append("| written through the store | ")
				.append(ownHits)
				.append(" / ")
				.append(KEYS)
				.append(" | all |\n| written by another client | ")
				.append(otherHits)
				.append(" / ")
				.append(KEYS)
				.append(" | all |\n\n");

			long[] latencies = new long[SAMPLES];
			for (int i = 0; i < WARM_UP + SAMPLES; i++) {
				String value = filler + "-" + (3 + i);
				store.get("lat");
				store.get("lat"); // cached
				long sent = System.nanoTime();
				redis.raw.hset(NearCacheBenchmark.utf8("kv:after:lat"), NearCacheBenchmark.utf8("v"),
						NearCacheBenchmark.utf8(value));
				awaitValue(store, "lat", value);
				if (i >= WARM_UP) {
					latencies[i - WARM_UP] = System.nanoTime() - sent;
				}
			}
			Arrays.sort(latencies);
			report.append(
					"| invalidation latency (another client's HSET sent until the near cache answers it) | p50 ms | p99 ms | max ms | target |\n")
				.append("| --- | --- | --- | --- | --- |\n| ")
				.append(SAMPLES)
				.append(" samples | ")
				.append(millis(latencies[SAMPLES / 2]))
				.append(" | ")
				.append(millis(latencies[SAMPLES * 99 / 100]))
				.append(" | ")
				.append(millis(latencies[SAMPLES - 1]))
				.append(" | p99 under 10 ms |\n");
		}
		finally {
			store.close();
			BenchmarkRedis.await(redis.raw.flushall());
		}
	}

	private static boolean isHit(KvValue<String> read) {
		return "HIT".equals(read.cacheStatus());
	}

	// Reads in a busy loop until the store answers the value.
	private static void awaitValue(RedisKvNamespace store, String key, String value) {
		long deadline = System.nanoTime() + DEADLINE_NANOS;
		while (!Objects.equals(store.get(key), value)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The near cache did not answer the new value of " + key);
			}
			Thread.onSpinWait();
		}
	}

	private static String millis(long nanos) {
		return NearCacheBenchmark.format(nanos / 1_000_000.0);
	}

}
