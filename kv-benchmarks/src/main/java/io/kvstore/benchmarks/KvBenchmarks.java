package io.kvstore.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.kvstore.benchmarks.Sides.Side;
import io.kvstore.benchmarks.TurnResults.Turns;

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

	private static final List<String> SIZES = JmhRuns.SIZES;

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

	private KvBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && !args[0].startsWith("--")) {
			org.openjdk.jmh.Main.main(args);
			return;
		}
		boolean quick = List.of(args).contains("--quick");
		if (List.of(args).contains("--round-trips")) {
			StringBuilder report = new StringBuilder(RoundTrips.HEADER);
			RoundTrips.table(report);
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
		report.append(Reports.runOn("Redis at " + address)).append(quick ? " (quick run)" : "").append(".\n\n");

		Map<String, Map<Side, Turns>> single = new LinkedHashMap<>();
		Map<String, Map<Side, Turns>> concurrent = new LinkedHashMap<>();
		for (String operation : OPERATIONS.keySet()) {
			single.putAll(
					TurnResults.of(JmhRuns.turns(SingleKeyBenchmark.class, "turns" + operation, 1, address, quick)));
			if (!operation.equals("GetObserved")) {
				concurrent.putAll(TurnResults
					.of(JmhRuns.turns(SingleKeyBenchmark.class, "turns" + operation, 64, address, quick)));
			}
		}
		report.append("### Single-key operations against raw Lettuce\n\n")
			.append("Every side takes turns of 250 ms with KV in one JVM (KV every other turn, after two turns of warm-up per side; ")
			.append(JmhRuns.cycles(quick, 1))
			.append(" turns of each side against one other, ")
			.append(JmhRuns.cycles(quick, 2))
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
						.append(baseline ? baselineName(operation, side) + " | " + Reports.format(a.kvMicros()) + " | "
								: side.label + " | ")
						.append(Reports.format(a.sideMicros()))
						.append(" | ")
						.append(Reports.format(a.timeRatio()))
						.append(" | ");
					if (baseline) {
						table.append(Reports.format(b.kvMicros())).append(" | ");
					}
					table.append(Reports.format(b.sideMicros()))
						.append(" | ")
						.append(Reports.format(1 / b.timeRatio()))
						.append(" |\n");
				}
			}
		}
		report.append(peers);

		report.append("\nWith observation into a meter registry (kv.operations timers), get takes ");
		for (String size : SIZES) {
			Map<Side, Turns> observed = single.get("turnsGetObserved@" + size);
			if (observed != null) {
				report.append(Reports.format(observed.get(Side.RAW).timeRatio()))
					.append("x (")
					.append(size)
					.append(" B) ");
			}
		}
		report.append("the time of the same get without a registry, on one thread.\n");

		listingPage(report, address, quick);

		Map<String, Double> list = JmhRuns.scores(JmhRuns.run(ListBenchmark.class, "", 1, address));
		report.append("\n### Full listing\n\n100,000 keys of one store among 1,000,000 keys. Target: at most 1.20.\n\n")
			.append("| KV ms | raw ms | ratio |\n| --- | --- | --- |\n")
			.append("| ")
			.append(Reports.format(list.get("kvFullListing")))
			.append(" | ")
			.append(Reports.format(list.get("rawFullListing")))
			.append(" | ")
			.append(Reports.format(list.get("kvFullListing") / list.get("rawFullListing")))
			.append(" |\n");

		Map<String, Double> stream = JmhRuns.scores(JmhRuns.run(StreamBenchmark.class, "", 1, address));
		double mib = StreamBenchmark.SIZE / (1024.0 * 1024.0);
		report.append(
				"\n### Streams\n\nA 100 MiB value in a JVM with -Xmx64m. Target: throughput ratio at least 0.80.\n\n")
			.append("| direction | KV MiB/s | raw MiB/s | throughput ratio |\n| --- | --- | --- | --- |\n")
			.append("| write | ")
			.append(Reports.format(mib / (stream.get("kvPutStream") / 1000)))
			.append(" | ")
			.append(Reports.format(mib / (stream.get("rawPut") / 1000)))
			.append(" | ")
			.append(Reports.format(stream.get("rawPut") / stream.get("kvPutStream")))
			.append(" |\n")
			.append("| read | ")
			.append(Reports.format(mib / (stream.get("kvGetStream") / 1000)))
			.append(" | ")
			.append(Reports.format(mib / (stream.get("rawGetRange") / 1000)))
			.append(" | ")
			.append(Reports.format(stream.get("rawGetRange") / stream.get("kvGetStream")))
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
			.append(RoundTrips.HEADER);
		RoundTrips.table(report);

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
	// turns, on a master with one replica that this run starts (both processes stop with
	// it).
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
			StringBuilder report = new StringBuilder(Reports.runOn("a master and one replica on loopback") + ".\n\n"
					+ "| size | threads | KV with WAIT 1 µs | KV without µs | time ratio (with / without) |\n"
					+ "| --- | --- | --- | --- | --- |\n");
			String address = master.host() + ":" + master.port();
			for (int threads : new int[] { 1, 64 }) {
				Map<String, Map<Side, Turns>> figures = TurnResults
					.of(JmhRuns.turns(ReplicaWaitBenchmark.class, "turns", threads, address, quick));
				figures.forEach((name, sides) -> {
					Turns turns = sides.get(Side.KV_NO_WAIT);
					report.append("| ")
						.append(name.substring(name.indexOf('@') + 1))
						.append(" | ")
						.append(threads)
						.append(" | ")
						.append(Reports.format(turns.kvMicros()))
						.append(" | ")
						.append(Reports.format(turns.sideMicros()))
						.append(" | ")
						.append(Reports.format(turns.timeRatio()))
						.append(" |\n");
				});
			}
			return report.toString();
		}
	}

	// One listing of 1000 keys with metadata, KV against raw Lettuce and the peers in
	// turns.
	private static void listingPage(StringBuilder report, String address, boolean quick) throws Exception {
		Map<Side, Turns> page = TurnResults.of(JmhRuns.turns(ListPageBenchmark.class, "turnsList", 1, address, quick))
			.get("turnsList");
		report.append("\n### Listing 1000 keys with metadata\n\n")
			.append("One listing of 1000 entries of 100 B with metadata and a time to live, per side, the sides in turns of 1 s; ")
			.append("4000 keys in the Redis. Time ratio: KV's time over the side's.\n\n")
			.append("| side | KV ms | side ms | time ratio |\n| --- | --- | --- | --- |\n");
		page.forEach((side, turns) -> report.append("| ")
			.append(side.label)
			.append(" | ")
			.append(Reports.format(turns.kvMicros() / 1000))
			.append(" | ")
			.append(Reports.format(turns.sideMicros() / 1000))
			.append(" | ")
			.append(Reports.format(turns.timeRatio()))
			.append(" |\n"));
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
