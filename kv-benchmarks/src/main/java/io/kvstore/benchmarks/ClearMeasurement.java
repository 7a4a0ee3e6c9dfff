package io.kvstore.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kvstore.KvType;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * {@code clear()} of a store of 100,000 entries in a Redis that also holds 900,000
 * entries of another store: how long it takes, how much CPU it costs Redis
 * ({@code INFO cpu} before and after), whether Redis stays responsive meanwhile (the
 * latency of {@code PING}s sent one after another from another connection, during the
 * clear, beside the same PINGs on the idle server just before; and Redis' own
 * {@code SLOWLOG} of commands that ran 1 ms or more, which tells Redis blocking from the
 * machine stalling the client), and that every key of the other store remains.
 * <p>
 * The keys are written raw, pipelined in batches:
 * {@code HSET <kv:store:key> v value n 5}, an entry as {@code EntryLayout} lays it out.
 * {@code java -cp benchmarks.jar
 * io.kvstore.benchmarks.ClearMeasurement [runs]} (default 1); each run fills and clears
 * anew. <b>Flushes the Redis it uses.</b>
 */
public final class ClearMeasurement {

	static final int STORE_KEYS = 100_000;

	static final int OTHER_KEYS = 900_000;

	private static final int BATCH = 5_000;

	private static final Pattern CPU_FIELD = Pattern.compile("(used_cpu_(?:sys|user)(?:_main_thread)?):([0-9.]+)");

	private ClearMeasurement() {
	}

	public static void main(String[] args) throws Exception {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 1;
		String address = BenchmarkRedis.address();
		StringBuilder report = new StringBuilder();
		report.append(Reports.runOn("Redis at " + address))
			.append(".\n\n| run | clear ms | deleted | Redis CPU ms (main thread) | PING during clear: median / max ms (count) "
					+ "| commands of 1 ms or more (SLOWLOG) | PING idle: median / max ms | other store's keys left |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
		String[] hostPort = address.split(":");
		RedisClient pingClient = RedisClient.create("redis://" + hostPort[0] + ":" + hostPort[1]);
		try (BenchmarkRedis redis = new BenchmarkRedis();
				StatefulRedisConnection<String, String> pinger = pingClient.connect()) {
			report.insert(report.indexOf(".\n\n"), ", " + redisVersion(pinger.sync()));
			for (int run = 1; run <= runs; run++) {
				report.append(measure(run, redis, pinger.sync()));
				System.out.println(report);
			}
		}
		finally {
			pingClient.shutdown();
		}
		System.exit(0);
	}

	private static String redisVersion(RedisCommands<String, String> sync) {
		Matcher version = Pattern.compile("redis_version:(\\S+)").matcher(sync.info("server"));
		return version.find() ? "Redis " + version.group(1) : "";
	}

	private static String measure(int run, BenchmarkRedis redis, RedisCommands<String, String> ping) throws Exception {
		BenchmarkRedis.await(redis.raw.flushall());
		long filling = System.nanoTime();
		fill(redis, "kv:clear:", STORE_KEYS);
		fill(redis, "kv:other:", OTHER_KEYS);
		long dbSize = BenchmarkRedis.await(redis.raw.dbsize());
		if (dbSize != STORE_KEYS + OTHER_KEYS) {
			throw new IllegalStateException("Filled " + dbSize + " keys");
		}
		System.out.printf(Locale.ROOT, "Run %d: filled %d keys in %d ms%n", run, dbSize,
				(System.nanoTime() - filling) / 1_000_000);
		RedisKvNamespace store = redis.store("clear", KvStoreSettings.defaults("clear"));
		if (!"value".equals(store.get("key-0", KvType.TEXT))) {
			throw new IllegalStateException("The store does not read the raw entries");
		}

		List<Long> idle = pings(ping, new AtomicBoolean(true), 1_000);
		AtomicBoolean clearing = new AtomicBoolean(true);
		List<Long> during = new ArrayList<>();
		Thread pinger = new Thread(() -> during.addAll(pings(ping, clearing, Integer.MAX_VALUE)), "pinger");
		// Redis' own view: every command that ran 1 ms or more on its main thread.
		ping.configSet("slowlog-log-slower-than", "1000");
		ping.slowlogReset();
		Map<String, Double> cpuBefore = cpu(redis);
		pinger.start();
		long started = System.nanoTime();
		long deleted = store.clear();
		long elapsed = System.nanoTime() - started;
		clearing.set(false);
		pinger.join();
		Map<String, Double> cpuAfter = cpu(redis);
		List<Object> slow = ping.slowlogGet(128);
		long slowestMicros = 0;
		Map<String, Integer> slowCommands = new java.util.TreeMap<>();
		for (Object entry : slow) {
			List<?> fields = (List<?>) entry;
			slowestMicros = Math.max(slowestMicros, ((Number) fields.get(2)).longValue());
			slowCommands.merge(String.valueOf(((List<?>) fields.get(3)).get(0)).toUpperCase(Locale.ROOT), 1,
					Integer::sum);
		}
		System.out.println("Run " + run + ": commands of 1 ms or more: " + slowCommands);

		long otherLeft = count(redis, "kv:other:*");
		long storeLeft = count(redis, "kv:clear:*");
		if (deleted != STORE_KEYS || storeLeft != 0 || otherLeft != OTHER_KEYS) {
			throw new IllegalStateException("Deleted " + deleted + ", left " + storeLeft + " of the store and "
					+ otherLeft + " of the other store");
		}
		double cpuMs = (delta(cpuBefore, cpuAfter, "used_cpu_sys") + delta(cpuBefore, cpuAfter, "used_cpu_user"))
				* 1000;
		double mainMs = (delta(cpuBefore, cpuAfter, "used_cpu_sys_main_thread")
				+ delta(cpuBefore, cpuAfter, "used_cpu_user_main_thread")) * 1000;
		return String.format(Locale.ROOT,
				"| %d | %.0f | %d | %.0f (%.0f) | %.2f / %.2f (%d) | %d, slowest %.2f ms | %.2f / %.2f | %d of %d |%n",
				run, elapsed / 1e6, deleted, cpuMs, mainMs, median(during) / 1e6, max(during) / 1e6, during.size(),
				slow.size(), slowestMicros / 1e3, median(idle) / 1e6, max(idle) / 1e6, otherLeft, OTHER_KEYS);
	}

	// HSET v and n per key, BATCH commands a write, awaited batch by batch.
	private static void fill(BenchmarkRedis redis, String prefix, int count) {
		byte[] value = "value".getBytes(StandardCharsets.US_ASCII);
		byte[] length = "5".getBytes(StandardCharsets.US_ASCII);
		Map<byte[], byte[]> fields = Map.of("v".getBytes(StandardCharsets.US_ASCII), value,
				"n".getBytes(StandardCharsets.US_ASCII), length);
		for (int from = 0; from < count; from += BATCH) {
			List<RedisFuture<Long>> replies = new ArrayList<>(BATCH);
			redis.raw.setAutoFlushCommands(false);
			try {
				for (int i = from; i < Math.min(count, from + BATCH); i++) {
					replies.add(redis.raw.hset((prefix + "key-" + i).getBytes(StandardCharsets.UTF_8), fields));
				}
				redis.raw.flushCommands();
			}
			finally {
				redis.raw.setAutoFlushCommands(true);
			}
			replies.forEach(BenchmarkRedis::await);
		}
	}

	// PINGs one after another until told to stop (or limit), each one's latency in
	// nanoseconds.
	private static List<Long> pings(RedisCommands<String, String> ping, AtomicBoolean go, int limit) {
		List<Long> latencies = new ArrayList<>();
		while (go.get() && latencies.size() < limit) {
			long sent = System.nanoTime();
			ping.ping();
			latencies.add(System.nanoTime() - sent);
		}
		return latencies;
	}

	private static long count(BenchmarkRedis redis, String pattern) {
		ScanArgs args = ScanArgs.Builder.matches(pattern.getBytes(StandardCharsets.UTF_8)).limit(10_000);
		ScanCursor cursor = ScanCursor.INITIAL;
		long count = 0;
		do {
			KeyScanCursor<byte[]> batch = BenchmarkRedis.await(redis.raw.scan(cursor, args));
			count += batch.getKeys().size();
			cursor = batch;
		}
		while (!cursor.isFinished());
		return count;
	}

	private static Map<String, Double> cpu(BenchmarkRedis redis) {
		Map<String, Double> fields = new java.util.HashMap<>();
		Matcher field = CPU_FIELD.matcher(BenchmarkRedis.await(redis.raw.info("cpu")));
		while (field.find()) {
			fields.put(field.group(1), Double.parseDouble(field.group(2)));
		}
		return fields;
	}

	private static double delta(Map<String, Double> before, Map<String, Double> after, String field) {
		return after.getOrDefault(field, 0.0) - before.getOrDefault(field, 0.0);
	}

	private static double median(List<Long> values) {
		long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
		int n = sorted.length;
		return (n == 0) ? Double.NaN : (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
	}

	private static double max(List<Long> values) {
		return values.stream().mapToLong(Long::longValue).max().orElse(0);
	}

}
