package io.kvstore.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
import io.kvstore.test.RoundTripCounter;

/**
 * The round trips of each single-key operation of KV and of Spring Data Redis, counted
 * with a Lettuce command listener, per value size: the runner's ({@link KvBenchmarks})
 * {@code --round-trips} table.
 */
final class RoundTrips {

	static final String HEADER = "| operation | 100 B | 10 KiB | 1 MiB | 1 MiB + 1 B |\n| --- | --- | --- | --- | --- |\n";

	private RoundTrips() {
	}

	// Each cell: round trips, and in brackets the commands sent when they are more.
	static void table(StringBuilder report) {
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
			// call of each kind opens its connections and is not counted).
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

}
