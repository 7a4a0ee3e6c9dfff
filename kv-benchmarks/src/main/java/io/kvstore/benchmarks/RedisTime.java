package io.kvstore.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kvstore.benchmarks.Sides.Side;
import io.kvstore.redis.PutForms;

/**
 * Redis' CPU time per operation: the CPU of Redis' main thread (where commands and
 * scripts run; {@code INFO cpu}, {@code used_cpu_sys_main_thread} +
 * {@code used_cpu_user_main_thread}) over runs of each operation alone on one thread, the
 * sides in alternating blocks so that all see the same drift.
 */
final class RedisTime {

	private static final int ROUNDS = 20;

	static final String HEADER = "| operation | side | 100 B | 10 KiB | 1 MiB |\n| --- | --- | --- | --- | --- |\n";

	private static final Pattern CPU_FIELD = Pattern.compile("used_cpu_(?:sys|user)_main_thread:([0-9.]+)");

	private RedisTime() {
	}

	/**
	 * One row per operation and side of {@link SingleKeyBenchmark}, one column per size.
	 */
	static void table(StringBuilder report, List<String> sizes) {
		Map<String, List<String>> rows = new LinkedHashMap<>();
		try (BenchmarkRedis stats = new BenchmarkRedis()) {
			for (String size : sizes) {
				SingleKeyBenchmark benchmark = new SingleKeyBenchmark();
				benchmark.size = Integer.parseInt(size);
				benchmark.setUp();
				try {
					int runs = (benchmark.size > 100_000) ? 400 : 4000;
					Map<String, Sides> operations = new LinkedHashMap<>();
					operations.put("get", benchmark.get);
					operations.put("put", benchmark.put);
					operations.put("put with TTL and metadata", benchmark.putWithTtlAndMetadata);
					operations.put("getWithMetadata", benchmark.getWithMetadata);
					operations.put("delete", benchmark.delete);
					operations.forEach((operation, sides) -> {
						int count = sides.others().size() + 1;
						double[] seconds = new double[count];
						for (int round = 0; round < ROUNDS; round++) {
							for (int side = 0; side < count; side++) {
								seconds[side] += blockCpuSeconds(stats, sides.operation(side), runs / ROUNDS);
							}
						}
						for (int side = 0; side < count; side++) {
							String label = (side == 0) ? "KV" : sides.others().get(side - 1).label;
							rows.computeIfAbsent(operation + " | " + label, (key) -> new ArrayList<>())
								.add(Reports.format(seconds[side] * 1_000_000 / (runs / ROUNDS * ROUNDS)));
						}
					});
				}
				finally {
					benchmark.tearDown();
				}
			}
		}
		rows.forEach((row, cells) -> report.append("| ")
			.append(row)
			.append(" | ")
			.append(String.join(" | ", cells))
			.append(" |\n"));
	}

	/**
	 * Where the {@code RESTORE} limit belongs: a put with TTL and metadata as one
	 * {@code RESTORE} against the staged form, at sizes from 4 KiB to 64 KiB, in Redis'
	 * CPU per operation and the client's wall time per operation (one thread, both in
	 * alternating blocks), and the client's time to build the payload alone.
	 */
	static void putThreshold(StringBuilder report) {
		report.append("| size | Redis µs: RESTORE | staged | client µs: RESTORE | staged | payload µs |\n")
			.append("| --- | --- | --- | --- | --- | --- |\n");
		try (BenchmarkRedis redis = new BenchmarkRedis()) {
			PutForms forms = new PutForms(redis.connection, "kv:forms:",
					"{\"owner\":\"ada\",\"version\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
					SingleKeyBenchmark.TTL_MILLIS);
			byte[][] keys = new byte[64][];
			for (int i = 0; i < keys.length; i++) {
				keys[i] = forms.entryKey("key-" + i);
			}
			// Warm up both paths (JIT, Redis' allocator) before the first measured size.
			byte[] warmUp = new byte[16 * 1024];
			for (int i = 0; i < 4000; i++) {
				forms.restore(keys[i & 63], warmUp);
				forms.staged(keys[i & 63], warmUp);
			}
			for (int kib : new int[] { 4, 8, 12, 16, 24, 32, 48, 64 }) {
				byte[] value = new byte[kib * 1024];
				new java.util.Random(kib).nextBytes(value);
				int[] next = { 0 };
				Runnable restore = () -> forms.restore(keys[next[0]++ & 63], value);
				Runnable staged = () -> forms.staged(keys[next[0]++ & 63], value);
				Runnable payload = () -> forms.payload(value);
				int runs = 200;
				double[] cpu = new double[2];
				List<Double> restoreWall = new ArrayList<>();
				List<Double> stagedWall = new ArrayList<>();
				List<Double> payloadWall = new ArrayList<>();
				for (int round = 0; round < ROUNDS; round++) {
					double[] block = block(redis, restore, runs);
					cpu[0] += block[0];
					restoreWall.add(block[1]);
					block = block(redis, staged, runs);
					cpu[1] += block[0];
					stagedWall.add(block[1]);
					long start = System.nanoTime();
					for (int i = 0; i < runs; i++) {
						payload.run();
					}
					payloadWall.add((System.nanoTime() - start) / 1000.0 / runs);
				}
				report.append("| ")
					.append(kib)
					.append(" KiB | ")
					.append(Reports.format(cpu[0] * 1_000_000 / (runs * ROUNDS)))
					.append(" | ")
					.append(Reports.format(cpu[1] * 1_000_000 / (runs * ROUNDS)))
					.append(" | ")
					.append(Reports.format(TurnResults.median(restoreWall)))
					.append(" | ")
					.append(Reports.format(TurnResults.median(stagedWall)))
					.append(" | ")
					.append(Reports.format(TurnResults.median(payloadWall)))
					.append(" |\n");
			}
			BenchmarkRedis.await(redis.raw.flushall());
		}
	}

	/**
	 * The commands Redis executed for one operation of each side at 100 B
	 * ({@code CONFIG RESETSTAT}, the operation, {@code INFO commandstats}; the
	 * {@code INFO} itself left out).
	 */
	static void commands(StringBuilder report) {
		report.append("| operation | side | commands Redis ran (calls) |\n| --- | --- | --- |\n");
		try (BenchmarkRedis stats = new BenchmarkRedis()) {
			SingleKeyBenchmark benchmark = new SingleKeyBenchmark();
			benchmark.size = 100;
			benchmark.setUp();
			try {
				Map<String, Sides> operations = new LinkedHashMap<>();
				operations.put("get", benchmark.get);
				operations.put("put", benchmark.put);
				operations.put("put with TTL and metadata", benchmark.putWithTtlAndMetadata);
				operations.put("getWithMetadata", benchmark.getWithMetadata);
				operations.put("delete", benchmark.delete);
				operations.forEach((operation, sides) -> {
					for (int side = 0; side <= sides.others().size(); side++) {
						sides.operation(side).run();
						BenchmarkRedis.await(stats.raw.configResetstat());
						sides.operation(side).run();
						String info = BenchmarkRedis.await(stats.raw.info("commandstats"));
						Matcher command = COMMAND.matcher(info);
						List<String> ran = new ArrayList<>();
						while (command.find()) {
							if (!command.group(1).equals("info") && !command.group(1).equals("config|resetstat")) {
								ran.add(command.group(1).toUpperCase(java.util.Locale.ROOT) + " (" + command.group(2)
										+ ")");
							}
						}
						String label = (side == 0) ? "KV" : sides.others().get(side - 1).label;
						report.append("| ")
							.append(operation)
							.append(" | ")
							.append(label)
							.append(" | ")
							.append(String.join(", ", ran))
							.append(" |\n");
					}
				});
			}
			finally {
				benchmark.tearDown();
			}
		}
	}

	private static final Pattern COMMAND = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)");

	// Redis' CPU seconds for one block of runs of an operation (after one run that is not
	// counted).
	private static double blockCpuSeconds(BenchmarkRedis stats, Runnable operation, int runs) {
		return block(stats, operation, runs)[0];
	}

	// Redis' CPU seconds for one block of runs, and the block's wall time per run in µs.
	private static double[] block(BenchmarkRedis stats, Runnable operation, int runs) {
		operation.run();
		double before = redisCpuSeconds(stats);
		long start = System.nanoTime();
		for (int i = 0; i < runs; i++) {
			operation.run();
		}
		long wall = System.nanoTime() - start;
		return new double[] { redisCpuSeconds(stats) - before, wall / 1000.0 / runs };
	}

	// The CPU time of Redis' main thread, where commands and scripts run.
	private static double redisCpuSeconds(BenchmarkRedis stats) {
		String info = BenchmarkRedis.await(stats.raw.info("cpu"));
		double seconds = 0;
		Matcher field = CPU_FIELD.matcher(info);
		while (field.find()) {
			seconds += Double.parseDouble(field.group(1));
		}
		return seconds;
	}

}
