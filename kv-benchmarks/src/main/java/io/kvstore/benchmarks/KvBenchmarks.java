package io.kvstore.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
import io.kvstore.test.RoundTripCounter;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark against one Redis (given as {@code -Dkv.redis=host:port}, or started
 * here), each figure beside its raw-Lettuce baseline in the same run, and prints a report of
 * ratios and round trips (also written to {@code --out}, by default
 * {@code kv-benchmarks/target/benchmark-report.md}).
 * <p>
 * {@code --quick} runs fewer iterations; {@code --round-trips} only counts round trips;
 * {@code --redis-time} only measures Redis' CPU time per operation. Any other arguments go to
 * JMH itself.
 */
public final class KvBenchmarks {

	private static final List<String> SIZES = List.of("100", "10240", "1048576");

	private static final int ROUNDS = 20;

	private static final String REDIS_TIME_HEADER = "| operation | 100 B: KV | raw | 10 KiB: KV | raw | 1 MiB: KV | raw |\n"
			+ "| --- | --- | --- | --- | --- | --- | --- |\n";

	private static final String ROUND_TRIP_HEADER = "| operation | 100 B | 10 KiB | 1 MiB | 1 MiB + 1 B |\n| --- | --- | --- | --- | --- |\n";

	private KvBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && !args[0].startsWith("--")) {
			org.openjdk.jmh.Main.main(args);
			return;
		}
		boolean quick = List.of(args).contains("--quick");
		if (List.of(args).contains("--round-trips")) {
			StringBuilder report = new StringBuilder(ROUND_TRIP_HEADER);
			roundTrips(report);
			System.out.println(report);
			System.exit(0);
		}
		if (List.of(args).contains("--redis-time")) {
			StringBuilder report = new StringBuilder(REDIS_TIME_HEADER);
			redisTime(report);
			System.out.println(report);
			System.exit(0);
		}
		Path out = Path.of(option(args, "--out", "kv-benchmarks/target/benchmark-report.md"));
		String address = BenchmarkRedis.address();
		StringBuilder report = new StringBuilder();
		report.append("Run on ").append(LocalDate.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
			.append(" cores, Java ").append(System.getProperty("java.version")).append(", Redis at ").append(address)
			.append(quick ? " (quick run)" : "").append(".\n\n");

		Map<String, Turns> single = turns(run(SingleKeyBenchmark.class, "turns", 1, address, quick));
		Map<String, Turns> concurrent = turns(run(SingleKeyBenchmark.class, "turns", 64, address, quick));
		report.append("### Single-key operations\n\n")
			.append("KV and raw Lettuce take turns of 250 ms, ").append(turns(quick) / 2)
			.append(" each, in one JVM; figures are medians over the turns. ")
			.append("Time per operation on one thread (µs) and per operation of one of 64 threads (µs). ")
			.append("Targets: time ratio (KV / raw) at most 1.10, throughput ratio (KV / raw) at least 0.90.\n\n")
			.append("| operation | size | 1 thread: KV µs | raw µs | time ratio | 64 threads: KV µs | raw µs | throughput ratio |\n")
			.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
		for (String operation : List.of("Get", "Put", "PutWithTtlAndMetadata", "GetWithMetadata", "Delete")) {
			for (String size : SIZES) {
				Turns one = single.get("turns" + operation + "@" + size);
				Turns many = concurrent.get("turns" + operation + "@" + size);
				if (one == null || many == null) {
					continue;
				}
				report.append("| ").append(operation).append(" | ").append(size).append(" B | ")
					.append(format(one.kvMicros())).append(" | ").append(format(one.rawMicros())).append(" | ")
					.append(format(one.timeRatio())).append(" | ")
					.append(format(many.kvMicros())).append(" | ").append(format(many.rawMicros())).append(" | ")
					.append(format(1 / many.timeRatio())).append(" |\n");
			}
		}

		report.append("\nWith observation into a meter registry (kv.operations timers), get takes ");
		for (String size : SIZES) {
			Turns observed = single.get("turnsGetObserved@" + size);
			if (observed != null) {
				report.append(format(observed.timeRatio())).append("x (").append(size).append(" B) ");
			}
		}
		report.append("the time of the same get without a registry, on one thread.\n");

		Map<String, Double> list = scores(run(ListBenchmark.class, "", 1, address, quick));
		report.append("\n### Full listing\n\n100,000 keys of one store among 1,000,000 keys. Target: at most 1.20.\n\n")
			.append("| KV ms | raw ms | ratio |\n| --- | --- | --- |\n")
			.append("| ").append(format(list.get("kvFullListing"))).append(" | ").append(format(list.get("rawFullListing")))
			.append(" | ").append(format(list.get("kvFullListing") / list.get("rawFullListing"))).append(" |\n");

		Map<String, Double> stream = scores(run(StreamBenchmark.class, "", 1, address, quick));
		double mib = StreamBenchmark.SIZE / (1024.0 * 1024.0);
		report.append("\n### Streams\n\nA 100 MiB value in a JVM with -Xmx64m. Target: throughput ratio at least 0.80.\n\n")
			.append("| direction | KV MiB/s | raw MiB/s | throughput ratio |\n| --- | --- | --- | --- |\n")
			.append("| write | ").append(format(mib / (stream.get("kvPutStream") / 1000))).append(" | ")
			.append(format(mib / (stream.get("rawPut") / 1000))).append(" | ")
			.append(format(stream.get("rawPut") / stream.get("kvPutStream"))).append(" |\n")
			.append("| read | ").append(format(mib / (stream.get("kvGetStream") / 1000))).append(" | ")
			.append(format(mib / (stream.get("rawGetRange") / 1000))).append(" | ")
			.append(format(stream.get("rawGetRange") / stream.get("kvGetStream"))).append(" |\n");

		report.append("\n### Redis time per operation\n\nMicroseconds of CPU of Redis' main thread per operation ")
			.append("(`INFO cpu`, `used_cpu_sys_main_thread` + `used_cpu_user_main_thread`), over a run of each ")
			.append("operation alone on one thread: what decides throughput when many threads keep Redis busy.\n\n")
			.append(REDIS_TIME_HEADER);
		redisTime(report);

		report.append("\n### Round trips per operation\n\nCounted with a Lettuce command listener: a command sent "
				+ "while an earlier one awaits its answer shares its round trip; commands sent in brackets where "
				+ "they are more. Target: 1 for every single-key operation up to 1 MiB.\n\n")
			.append(ROUND_TRIP_HEADER);
		roundTrips(report);

		String text = report.toString();
		System.out.println();
		System.out.println(text);
		Files.createDirectories(out.toAbsolutePath().getParent());
		Files.writeString(out, text);
		System.out.println("Report written to " + out.toAbsolutePath());
		System.exit(0);
	}

	private static Collection<RunResult> run(Class<?> benchmark, String methodPrefix, int threads, String address,
			boolean quick) throws Exception {
		ChainedOptionsBuilder options = new OptionsBuilder().include(benchmark.getName() + "\\." + methodPrefix)
			.threads(threads)
			.jvmArgsAppend("-Dkv.redis=" + address);
		if (benchmark == SingleKeyBenchmark.class) {
			// Many short turns, an even number of them: as many KV turns as raw ones.
			options.warmupIterations(4).warmupTime(TimeValue.milliseconds(250))
				.measurementIterations(turns(quick)).measurementTime(TimeValue.milliseconds(250));
		}
		return new Runner(options.build()).run();
	}

	private static int turns(boolean quick) {
		return quick ? 12 : 40;
	}

	// Operations counted per side in the turns of each benchmark. The machine's speed drifts
	// by a factor of several from one second to the next here, so a figure is the median over
	// many short turns: the time ratio is the median of the ratios of neighbouring KV and raw
	// turns, and the time per operation of one thread is a turn's time, times the threads, over
	// the median operations of that side's turns.
	private static Map<String, Turns> turns(Collection<RunResult> results) {
		Map<String, Turns> turns = new LinkedHashMap<>();
		for (RunResult result : results) {
			double turnMicros = result.getParams().getMeasurement().getTime()
				.convertTo(java.util.concurrent.TimeUnit.MICROSECONDS) * (double) result.getParams().getThreads();
			List<Double> kv = new ArrayList<>();
			List<Double> raw = new ArrayList<>();
			List<Double> ratios = new ArrayList<>();
			for (BenchmarkResult fork : result.getBenchmarkResults()) {
				double previousKv = Double.NaN;
				for (IterationResult iteration : fork.getIterationResults()) {
					double kvOperations = iteration.getSecondaryResults().get("kvOperations").getScore();
					double rawOperations = iteration.getSecondaryResults().get("rawOperations").getScore();
					if (kvOperations > 0) {
						kv.add(kvOperations);
						previousKv = kvOperations;
					}
					else if (rawOperations > 0) {
						raw.add(rawOperations);
						if (!Double.isNaN(previousKv)) {
							ratios.add(rawOperations / previousKv);
							previousKv = Double.NaN;
						}
					}
				}
			}
			turns.put(name(result), new Turns(turnMicros / median(kv), turnMicros / median(raw), median(ratios)));
		}
		return turns;
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	/**
	 * One benchmark's turns: the time per operation of one thread on each side, and the median
	 * ratio of KV's time to raw's in neighbouring turns.
	 */
	private record Turns(double kvMicros, double rawMicros, double timeRatio) {
	}

	// A benchmark's method name, with "@" and its size when it has one.
	private static String name(RunResult result) {
		String benchmark = result.getParams().getBenchmark();
		String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
		String size = result.getParams().getParam("size");
		return (size != null) ? name + "@" + size : name;
	}

	private static Map<String, Double> scores(Collection<RunResult> results) {
		Map<String, Double> scores = new LinkedHashMap<>();
		for (RunResult result : results) {
			scores.put(name(result), result.getPrimaryResult().getScore());
		}
		return scores;
	}

	// Each cell: round trips, and in brackets the commands sent when they are more.
	private static void roundTrips(StringBuilder report) {
		RoundTripCounter counter = new RoundTripCounter();
		try (BenchmarkRedis redis = new BenchmarkRedis(counter)) {
			RedisKvNamespace store = redis.store("roundtrips", KvStoreSettings.defaults("roundtrips"));
			store.put("warm-up", "v");
			store.delete("warm-up");
			KvPutOptions options = KvPutOptions.builder().expirationTtl(3600).metadata("m").build();
			Map<String, List<String>> counts = new LinkedHashMap<>();
			for (int size : new int[] { 100, 10 * 1024, 1024 * 1024, 1024 * 1024 + 1 }) {
				byte[] value = new byte[size];
				count(counts, "put", counter, () -> store.put("k", value));
				count(counts, "put with TTL and metadata", counter, () -> store.put("k", value, options));
				count(counts, "get", counter, () -> store.get("k", KvType.BYTES));
				count(counts, "getWithMetadata", counter, () -> store.getWithMetadata("k", KvType.BYTES));
				count(counts, "delete", counter, () -> store.delete("k"));
			}
			counts.forEach((operation, values) -> {
				report.append("| ").append(operation);
				values.forEach((value) -> report.append(" | ").append(value));
				report.append(" |\n");
			});
		}
	}

	private static void count(Map<String, List<String>> counts, String operation, RoundTripCounter counter,
			Runnable action) {
		counter.reset();
		action.run();
		int roundTrips = counter.roundTrips();
		int commands = counter.commands().size();
		counts.computeIfAbsent(operation, (key) -> new ArrayList<>())
			.add((commands > roundTrips) ? roundTrips + " (" + commands + ")" : Integer.toString(roundTrips));
	}

	// Each operation of SingleKeyBenchmark run alone, KV then raw, with the CPU time of Redis'
	// main thread read before and after.
	private static void redisTime(StringBuilder report) {
		Map<String, List<String>> rows = new LinkedHashMap<>();
		try (BenchmarkRedis stats = new BenchmarkRedis()) {
			for (String size : SIZES) {
				SingleKeyBenchmark benchmark = new SingleKeyBenchmark();
				benchmark.size = Integer.parseInt(size);
				benchmark.setUp();
				try {
					int runs = (benchmark.size > 100_000) ? 400 : 4000;
					Map<String, List<Runnable>> operations = new LinkedHashMap<>();
					operations.put("get", List.of(benchmark::kvGet, benchmark::rawGet));
					operations.put("put", List.of(benchmark::kvPut, benchmark::rawPut));
					operations.put("put with TTL and metadata",
							List.of(benchmark::kvPutWithTtlAndMetadata, benchmark::rawPutWithTtlAndMetadata));
					operations.put("getWithMetadata", List.of(benchmark::kvGetWithMetadata, benchmark::rawGetWithMetadata));
					operations.put("delete", List.of(benchmark::kvDelete, benchmark::rawDelete));
					operations.forEach((operation, sides) -> {
						// KV and raw in alternating blocks, so that both see the same drift.
						double[] seconds = new double[sides.size()];
						for (int round = 0; round < ROUNDS; round++) {
							for (int side = 0; side < sides.size(); side++) {
								seconds[side] += blockCpuSeconds(stats, sides.get(side), runs / ROUNDS);
							}
						}
						for (double total : seconds) {
							rows.computeIfAbsent(operation, (key) -> new ArrayList<>())
								.add(format(total * 1_000_000 / (runs / ROUNDS * ROUNDS)));
						}
					});
				}
				finally {
					benchmark.tearDown();
				}
			}
		}
		rows.forEach((operation, cells) -> report.append("| ").append(operation).append(" | ")
			.append(String.join(" | ", cells)).append(" |\n"));
	}

	// Redis' CPU seconds for one block of runs of an operation (after one run that is not counted).
	private static double blockCpuSeconds(BenchmarkRedis stats, Runnable operation, int runs) {
		operation.run();
		double before = redisCpuSeconds(stats);
		for (int i = 0; i < runs; i++) {
			operation.run();
		}
		return redisCpuSeconds(stats) - before;
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

	private static final Pattern CPU_FIELD = Pattern.compile("used_cpu_(?:sys|user)_main_thread:([0-9.]+)");

	private static String format(Double value) {
		return (value != null) ? String.format(Locale.ROOT, "%.2f", value) : "n/a";
	}

	private static String option(String[] args, String name, String fallback) {
		for (int i = 0; i < args.length - 1; i++) {
			if (args[i].equals(name)) {
				return args[i + 1];
			}
		}
		return fallback;
	}

}
