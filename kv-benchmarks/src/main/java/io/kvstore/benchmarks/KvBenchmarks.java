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
import java.util.concurrent.TimeUnit;

import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
import io.kvstore.benchmarks.Sides.Side;
import io.kvstore.benchmarks.TurnResults.Turns;
import io.kvstore.test.RoundTripCounter;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark against one Redis (given as {@code -Dkv.redis=host:port}, or
 * started here), each figure beside its raw-Lettuce baseline and its peers (Redisson,
 * Spring Data Redis) in the same run, and prints a report of ratios and round trips (also
 * written to {@code --out}, by default {@code kv-benchmarks/target/benchmark-report.md}).
 * <p>
 * {@code --quick} runs fewer turns; {@code --round-trips} only counts round trips;
 * {@code --redis-time} only measures Redis' CPU time per operation; {@code --commands}
 * only lists the commands each side's operations make Redis run; {@code --put-threshold}
 * only compares {@code RESTORE} with staged puts from 4 to 64 KiB; {@code --listing} only
 * measures the listing of 1000 keys with metadata against raw Lettuce and the peers. Any
 * other arguments go to JMH itself.
 */
public final class KvBenchmarks {

	// -Dkv.sizes=100,10240 for fewer sizes.
	private static final List<String> SIZES = List.of(System.getProperty("kv.sizes", "100,10240,1048576").split(","));

	/** The single-key operations as the report names them, by benchmark. */
	private static final Map<String, String> OPERATIONS = new LinkedHashMap<>();

	static {
		OPERATIONS.put("Get", "get");
		OPERATIONS.put("Put", "put");
		OPERATIONS.put("PutWithTtlAndMetadata", "put, TTL + metadata");
		OPERATIONS.put("GetWithMetadata", "getWithMetadata");
		OPERATIONS.put("Delete", "delete");
		OPERATIONS.put("GetObserved", "get, observed");
	}

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
			StringBuilder report = new StringBuilder(RedisTime.HEADER);
			RedisTime.table(report, SIZES);
			System.out.println(report);
			System.exit(0);
		}
		if (List.of(args).contains("--commands")) {
			StringBuilder report = new StringBuilder();
			RedisTime.commands(report);
			System.out.println(report);
			System.exit(0);
		}
		if (List.of(args).contains("--put-threshold")) {
			StringBuilder report = new StringBuilder();
			RedisTime.putThreshold(report);
			System.out.println(report);
			System.exit(0);
		}
		if (List.of(args).contains("--listing")) {
			StringBuilder report = new StringBuilder();
			listingPage(report, BenchmarkRedis.address(), quick);
			System.out.println(report);
			System.exit(0);
		}
		if (List.of(args).contains("--replica-wait")) {
			System.out.println(replicaWait(quick));
			System.exit(0);
		}
		Path out = Path.of(option(args, "--out", "kv-benchmarks/target/benchmark-report.md"));
		String address = BenchmarkRedis.address();
		StringBuilder report = new StringBuilder();
		report.append("Run on ")
			.append(LocalDate.now())
			.append(", ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores, Java ")
			.append(System.getProperty("java.version"))
			.append(", Redis at ")
			.append(address)
			.append(quick ? " (quick run)" : "")
			.append(".\n\n");

		Map<String, Map<Side, Turns>> single = new LinkedHashMap<>();
		Map<String, Map<Side, Turns>> concurrent = new LinkedHashMap<>();
		for (String operation : OPERATIONS.keySet()) {
			single.putAll(TurnResults.of(turns(SingleKeyBenchmark.class, "turns" + operation, 1, address, quick)));
			if (!operation.equals("GetObserved")) {
				concurrent
					.putAll(TurnResults.of(turns(SingleKeyBenchmark.class, "turns" + operation, 64, address, quick)));
			}
		}
		report.append("### Single-key operations against raw Lettuce\n\n")
			.append("Every side takes turns of 250 ms with KV in one JVM (KV every other turn, after two turns of warm-up per side; ")
			.append(cycles(quick, 1))
			.append(" turns of each side against one other, ")
			.append(cycles(quick, 2))
			.append(" against several); figures are medians over the turns. ")
			.append("Time per operation on one thread (µs) and per operation of one of 64 threads (µs). ")
			.append("Targets: time ratio (KV / raw) at most 1.10, throughput ratio (KV / raw) at least 0.90.\n\n")
			.append("| operation | size | baseline | 1 thread: KV µs | raw µs | time ratio | 64 threads: KV µs | raw µs | throughput ratio |\n")
			.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
		StringBuilder peers = new StringBuilder("\n### Single-key operations against the peers\n\n")
			.append("The same turns. KV's own times are in the table above; the ratios are KV's time over the peer's ")
			.append("(one thread: below 1 is KV faster) and KV's throughput over the peer's (64 threads: above 1 is KV faster).\n\n")
			.append("| operation | size | peer | 1 thread: peer µs | time ratio | 64 threads: peer µs | throughput ratio |\n")
			.append("| --- | --- | --- | --- | --- | --- | --- |\n");
		for (String operation : OPERATIONS.keySet()) {
			if (operation.equals("GetObserved")) {
				continue;
			}
			for (String size : SIZES) {
				Map<Side, Turns> one = single.get("turns" + operation + "@" + size);
				Map<Side, Turns> many = concurrent.get("turns" + operation + "@" + size);
				if (one == null || many == null) {
					continue;
				}
				for (Side side : one.keySet()) {
					Turns a = one.get(side);
					Turns b = many.get(side);
					if (b == null) {
						continue;
					}
					boolean baseline = side == Side.RAW || side == Side.RAW_HASH;
					StringBuilder table = baseline ? report : peers;
					table.append("| ")
						.append(OPERATIONS.get(operation))
						.append(" | ")
						.append(size)
						.append(" B | ")
						.append(baseline ? baselineName(operation, side) + " | " + format(a.kvMicros()) + " | "
								: side.label + " | ")
						.append(format(a.sideMicros()))
						.append(" | ")
						.append(format(a.timeRatio()))
						.append(" | ");
					if (baseline) {
						table.append(format(b.kvMicros())).append(" | ");
					}
					table.append(format(b.sideMicros())).append(" | ").append(format(1 / b.timeRatio())).append(" |\n");
				}
			}
		}
		report.append(peers);

		report.append("\nWith observation into a meter registry (kv.operations timers), get takes ");
		for (String size : SIZES) {
			Map<Side, Turns> observed = single.get("turnsGetObserved@" + size);
			if (observed != null) {
				report.append(format(observed.get(Side.RAW).timeRatio())).append("x (").append(size).append(" B) ");
			}
		}
		report.append("the time of the same get without a registry, on one thread.\n");

		listingPage(report, address, quick);

		Map<String, Double> list = scores(run(ListBenchmark.class, "", 1, address));
		report.append("\n### Full listing\n\n100,000 keys of one store among 1,000,000 keys. Target: at most 1.20.\n\n")
			.append("| KV ms | raw ms | ratio |\n| --- | --- | --- |\n")
			.append("| ")
			.append(format(list.get("kvFullListing")))
			.append(" | ")
			.append(format(list.get("rawFullListing")))
			.append(" | ")
			.append(format(list.get("kvFullListing") / list.get("rawFullListing")))
			.append(" |\n");

		Map<String, Double> stream = scores(run(StreamBenchmark.class, "", 1, address));
		double mib = StreamBenchmark.SIZE / (1024.0 * 1024.0);
		report.append(
				"\n### Streams\n\nA 100 MiB value in a JVM with -Xmx64m. Target: throughput ratio at least 0.80.\n\n")
			.append("| direction | KV MiB/s | raw MiB/s | throughput ratio |\n| --- | --- | --- | --- |\n")
			.append("| write | ")
			.append(format(mib / (stream.get("kvPutStream") / 1000)))
			.append(" | ")
			.append(format(mib / (stream.get("rawPut") / 1000)))
			.append(" | ")
			.append(format(stream.get("rawPut") / stream.get("kvPutStream")))
			.append(" |\n")
			.append("| read | ")
			.append(format(mib / (stream.get("kvGetStream") / 1000)))
			.append(" | ")
			.append(format(mib / (stream.get("rawGetRange") / 1000)))
			.append(" | ")
			.append(format(stream.get("rawGetRange") / stream.get("kvGetStream")))
			.append(" |\n");

		report.append("\n### Redis time per operation\n\nMicroseconds of CPU of Redis' main thread per operation ")
			.append("(`INFO cpu`, `used_cpu_sys_main_thread` + `used_cpu_user_main_thread`), over a run of each ")
			.append("operation alone on one thread: what decides throughput when many threads keep Redis busy.\n\n")
			.append(RedisTime.HEADER);
		RedisTime.table(report, SIZES);

		report
			.append("\n### Round trips per operation\n\nCounted with a Lettuce command listener: a command sent "
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

	private static String baselineName(String operation, Side side) {
		if (side == Side.RAW_HASH) {
			return "`HSET v m` + `PEXPIRE`";
		}
		return switch (operation) {
			case "Get" -> "`GET`";
			case "Put" -> "`SET`";
			case "PutWithTtlAndMetadata" -> "`SET PX`";
			case "GetWithMetadata" -> "`HMGET v m`";
			case "Delete" -> "`DEL`";
			default -> side.label;
		};
	}

	// A put through a store with replicas-to-wait=1 against the same put without, in
	// turns,
	// on a master with one replica that this run starts (both processes stop with it).
	private static String replicaWait(boolean quick) throws Exception {
		try (io.kvstore.test.RedisServer master = io.kvstore.test.RedisServer.startProcess(List.of());
				io.kvstore.test.RedisServer replica = io.kvstore.test.RedisServer
					.startProcess(List.of("--replicaof", master.host(), Integer.toString(master.port())))) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (!master.raw().info("replication").contains("state=online")) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The replica did not come online: " + replica);
				}
				Thread.sleep(50);
			}
			StringBuilder report = new StringBuilder(
					"Run on " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
							+ System.getProperty("java.version") + ", a master and one replica on loopback.\n\n"
							+ "| size | threads | KV with WAIT 1 µs | KV without µs | time ratio (with / without) |\n"
							+ "| --- | --- | --- | --- | --- |\n");
			String address = master.host() + ":" + master.port();
			for (int threads : new int[] { 1, 64 }) {
				Map<String, Map<Side, Turns>> figures = TurnResults
					.of(turns(ReplicaWaitBenchmark.class, "turns", threads, address, quick));
				figures.forEach((name, sides) -> {
					Turns turns = sides.get(Side.KV_NO_WAIT);
					report.append("| ")
						.append(name.substring(name.indexOf('@') + 1))
						.append(" | ")
						.append(threads)
						.append(" | ")
						.append(format(turns.kvMicros()))
						.append(" | ")
						.append(format(turns.sideMicros()))
						.append(" | ")
						.append(format(turns.timeRatio()))
						.append(" |\n");
				});
			}
			return report.toString();
		}
	}

	// One listing of 1000 keys with metadata, KV against raw Lettuce and the peers in
	// turns.
	private static void listingPage(StringBuilder report, String address, boolean quick) throws Exception {
		Map<Side, Turns> page = TurnResults.of(turns(ListPageBenchmark.class, "turnsList", 1, address, quick))
			.get("turnsList");
		report.append("\n### Listing 1000 keys with metadata\n\n")
			.append("One listing of 1000 entries of 100 B with metadata and a time to live, per side, the sides in turns of 1 s; ")
			.append("4000 keys in the Redis. Time ratio: KV's time over the side's.\n\n")
			.append("| side | KV ms | side ms | time ratio |\n| --- | --- | --- | --- |\n");
		page.forEach((side, turns) -> report.append("| ")
			.append(side.label)
			.append(" | ")
			.append(format(turns.kvMicros() / 1000))
			.append(" | ")
			.append(format(turns.sideMicros() / 1000))
			.append(" | ")
			.append(format(turns.timeRatio()))
			.append(" |\n"));
	}

	// A benchmark whose sides take turns: many short turns, as many of KV as of all
	// others.
	private static Collection<RunResult> turns(Class<?> benchmark, String method, int threads, String address,
			boolean quick) throws Exception {
		int others = others(method);
		// A listing takes tens of milliseconds: turns of a second.
		boolean listing = benchmark == ListPageBenchmark.class;
		TimeValue turn = TimeValue.milliseconds(listing ? 1000 : 250);
		ChainedOptionsBuilder options = new OptionsBuilder().include(benchmark.getName() + "\\." + method + "$")
			.threads(threads)
			.jvmArgsAppend("-Dkv.redis=" + address)
			// Every side warms up in two turns of its own; an even number, so KV's turn
			// comes first.
			.warmupIterations(4 * others)
			.warmupTime(turn)
			.measurementIterations(2 * others * cycles(quick, others))
			.measurementTime(turn);
		if (benchmark == SingleKeyBenchmark.class) {
			options.param("size", SIZES.toArray(String[]::new));
		}
		return new Runner(options.build()).run();
	}

	// The turns of each other side: more when KV is measured against one side only.
	private static int cycles(boolean quick, int others) {
		if (others == 1) {
			return quick ? 6 : 20;
		}
		return quick ? 3 : 10;
	}

	private static int others(String method) {
		return switch (method) {
			case "turnsPut", "turnsGetObserved", "turns" -> 1;
			case "turnsPutWithTtlAndMetadata" -> 5;
			default -> 3;
		};
	}

	private static Collection<RunResult> run(Class<?> benchmark, String methodPrefix, int threads, String address)
			throws Exception {
		ChainedOptionsBuilder options = new OptionsBuilder().include(benchmark.getName() + "\\." + methodPrefix)
			.threads(threads)
			.jvmArgsAppend("-Dkv.redis=" + address);
		return new Runner(options.build()).run();
	}

	private static Map<String, Double> scores(Collection<RunResult> results) {
		Map<String, Double> scores = new LinkedHashMap<>();
		for (RunResult result : results) {
			scores.put(TurnResults.name(result), result.getPrimaryResult().getScore());
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
			// Spring Data Redis, the one peer on Lettuce, counted the same way (the first
			// call
			// of each kind opens its connections and is not counted).
			try (Peers peers = new Peers(BenchmarkRedis.address(), counter)) {
				for (int size : new int[] { 100, 10 * 1024, 1024 * 1024, 1024 * 1024 + 1 }) {
					Map<String, byte[]> fields = Map.of(Peers.VALUE, new byte[size], Peers.METADATA, "{}".getBytes());
					peers.sdrPutAtomic("sdr:k", fields, 3_600_000);
					peers.sdrPutPipelined("sdr:k", fields, 3_600_000);
					peers.sdrGet("sdr:k");
					count(counts, "SDR put, MULTI", counter, () -> peers.sdrPutAtomic("sdr:k", fields, 3_600_000));
					count(counts, "SDR put, pipelined", counter,
							() -> peers.sdrPutPipelined("sdr:k", fields, 3_600_000));
					count(counts, "SDR getWithMetadata", counter, () -> peers.sdrGetWithMetadata("sdr:k"));
					count(counts, "SDR delete", counter, () -> peers.sdrDelete("sdr:k"));
				}
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

	static String format(Double value) {
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
