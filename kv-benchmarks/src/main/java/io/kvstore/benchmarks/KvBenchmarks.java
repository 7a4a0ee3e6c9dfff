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
import java.util.concurrent.atomic.AtomicInteger;

import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.redis.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
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
 * {@code --quick} runs fewer iterations; {@code --round-trips} only counts round trips. Any
 * other arguments go to JMH itself.
 */
public final class KvBenchmarks {

	private KvBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && !args[0].startsWith("--")) {
			org.openjdk.jmh.Main.main(args);
			return;
		}
		boolean quick = List.of(args).contains("--quick");
		if (List.of(args).contains("--round-trips")) {
			StringBuilder report = new StringBuilder("| operation | 100 B | 1 MiB | 1 MiB + 1 B |\n| --- | --- | --- | --- |\n");
			roundTrips(report);
			System.out.println(report);
			System.exit(0);
		}
		Path out = Path.of(option(args, "--out", "kv-benchmarks/target/benchmark-report.md"));
		String address = BenchmarkRedis.address();
		StringBuilder report = new StringBuilder();
		report.append("Run on ").append(LocalDate.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
			.append(" cores, Java ").append(System.getProperty("java.version")).append(", Redis at ").append(address)
			.append(quick ? " (quick run)" : "").append(".\n\n");

		Collection<RunResult> single = run(SingleKeyBenchmark.class, 1, address, quick);
		Collection<RunResult> concurrent = run(SingleKeyBenchmark.class, 64, address, quick);
		report.append("### Single-key operations\n\n")
			.append("Time per operation on one thread (µs, KV / raw) and throughput at 64 threads (KV / raw).\n")
			.append("Targets: time ratio at most 1.10, throughput ratio at least 0.90.\n\n")
			.append("| operation | size | 1 thread: KV µs | raw µs | time ratio | 64 threads: KV µs | raw µs | throughput ratio |\n")
			.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
		Map<String, Double> one = scores(single);
		Map<String, Double> many = scores(concurrent);
		for (String operation : List.of("Get", "Put", "PutWithTtlAndMetadata", "GetWithMetadata", "Delete")) {
			for (String size : List.of("100", "10240", "1048576")) {
				String kv = "kv" + operation + "@" + size;
				String raw = "raw" + operation + "@" + size;
				if (!one.containsKey(kv)) {
					continue;
				}
				report.append("| ").append(operation).append(" | ").append(size).append(" B | ")
					.append(format(one.get(kv))).append(" | ").append(format(one.get(raw))).append(" | ")
					.append(format(one.get(kv) / one.get(raw))).append(" | ")
					.append(format(many.get(kv))).append(" | ").append(format(many.get(raw))).append(" | ")
					.append(format(many.get(raw) / many.get(kv))).append(" |\n");
			}
		}

		report.append("\nWith observation into a meter registry (kv.operations timers), get takes ");
		for (String size : List.of("100", "10240", "1048576")) {
			Double observed = one.get("kvGetObserved@" + size);
			if (observed != null) {
				report.append(format(observed / one.get("kvGet@" + size))).append("x (").append(size).append(" B) ");
			}
		}
		report.append("the time of the same get without a registry, on one thread.\n");

		Map<String, Double> list = scores(run(ListBenchmark.class, 1, address, quick));
		report.append("\n### Full listing\n\n100,000 keys of one store among 1,000,000 keys. Target: at most 1.20.\n\n")
			.append("| KV ms | raw ms | ratio |\n| --- | --- | --- |\n")
			.append("| ").append(format(list.get("kvFullListing"))).append(" | ").append(format(list.get("rawFullListing")))
			.append(" | ").append(format(list.get("kvFullListing") / list.get("rawFullListing"))).append(" |\n");

		Map<String, Double> stream = scores(run(StreamBenchmark.class, 1, address, quick));
		double mib = StreamBenchmark.SIZE / (1024.0 * 1024.0);
		report.append("\n### Streams\n\nA 100 MiB value in a JVM with -Xmx64m. Target: throughput ratio at least 0.80.\n\n")
			.append("| direction | KV MiB/s | raw MiB/s | throughput ratio |\n| --- | --- | --- | --- |\n")
			.append("| write | ").append(format(mib / (stream.get("kvPutStream") / 1000))).append(" | ")
			.append(format(mib / (stream.get("rawPut") / 1000))).append(" | ")
			.append(format(stream.get("rawPut") / stream.get("kvPutStream"))).append(" |\n")
			.append("| read | ").append(format(mib / (stream.get("kvGetStream") / 1000))).append(" | ")
			.append(format(mib / (stream.get("rawGetRange") / 1000))).append(" | ")
			.append(format(stream.get("rawGetRange") / stream.get("kvGetStream"))).append(" |\n");

		report.append("\n### Round trips per operation\n\nCommands sent, counted with a Lettuce command listener. "
				+ "Target: 1 for every single-key operation up to 1 MiB.\n\n")
			.append("| operation | 100 B | 1 MiB | 1 MiB + 1 B |\n| --- | --- | --- | --- |\n");
		roundTrips(report);

		String text = report.toString();
		System.out.println();
		System.out.println(text);
		Files.createDirectories(out.toAbsolutePath().getParent());
		Files.writeString(out, text);
		System.out.println("Report written to " + out.toAbsolutePath());
		System.exit(0);
	}

	private static Collection<RunResult> run(Class<?> benchmark, int threads, String address, boolean quick)
			throws Exception {
		ChainedOptionsBuilder options = new OptionsBuilder().include(benchmark.getName() + "\\.")
			.threads(threads)
			.jvmArgsAppend("-Dkv.redis=" + address);
		if (quick && benchmark == SingleKeyBenchmark.class) {
			options.warmupIterations(1).measurementIterations(2).measurementTime(TimeValue.seconds(1));
		}
		return new Runner(options.build()).run();
	}

	private static Map<String, Double> scores(Collection<RunResult> results) {
		Map<String, Double> scores = new LinkedHashMap<>();
		for (RunResult result : results) {
			String benchmark = result.getParams().getBenchmark();
			String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
			String size = result.getParams().getParam("size");
			scores.put((size != null) ? name + "@" + size : name, result.getPrimaryResult().getScore());
		}
		return scores;
	}

	private static void roundTrips(StringBuilder report) {
		AtomicInteger sent = new AtomicInteger();
		CommandListener counter = new CommandListener() {

			@Override
			public void commandStarted(CommandStartedEvent event) {
				sent.incrementAndGet();
			}

		};
		try (BenchmarkRedis redis = new BenchmarkRedis(counter)) {
			RedisKvNamespace store = redis.store("roundtrips", KvStoreSettings.defaults("roundtrips"));
			store.put("warm-up", "v");
			store.delete("warm-up");
			KvPutOptions options = KvPutOptions.builder().expirationTtl(3600).metadata("m").build();
			Map<String, List<Integer>> counts = new LinkedHashMap<>();
			for (int size : new int[] { 100, 1024 * 1024, 1024 * 1024 + 1 }) {
				byte[] value = new byte[size];
				count(counts, "put", sent, () -> store.put("k", value));
				count(counts, "put with TTL and metadata", sent, () -> store.put("k", value, options));
				count(counts, "get", sent, () -> store.get("k", KvType.BYTES));
				count(counts, "getWithMetadata", sent, () -> store.getWithMetadata("k", KvType.BYTES));
				count(counts, "delete", sent, () -> store.delete("k"));
			}
			counts.forEach((operation, values) -> {
				report.append("| ").append(operation);
				values.forEach((value) -> report.append(" | ").append(value));
				report.append(" |\n");
			});
		}
	}

	private static void count(Map<String, List<Integer>> counts, String operation, AtomicInteger sent, Runnable action) {
		sent.set(0);
		action.run();
		counts.computeIfAbsent(operation, (key) -> new ArrayList<>()).add(sent.get());
	}

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
