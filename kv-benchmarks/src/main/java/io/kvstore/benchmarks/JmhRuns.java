package io.kvstore.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * How the runner ({@link KvBenchmarks}) runs its JMH benchmarks against one Redis: those
 * whose sides take turns ({@link #turns}) and the plain ones ({@link #run}).
 */
final class JmhRuns {

	// -Dkv.sizes=100,10240 for fewer sizes.
	static final List<String> SIZES = List.of(System.getProperty("kv.sizes", "100,10240,1048576").split(","));

	private JmhRuns() {
	}

	// A benchmark whose sides take turns: many short turns, as many of KV as of all
	// others.
	static Collection<RunResult> turns(Class<?> benchmark, String method, int threads, String address, boolean quick)
			throws Exception {
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
	static int cycles(boolean quick, int others) {
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

	static Collection<RunResult> run(Class<?> benchmark, String methodPrefix, int threads, String address)
			throws Exception {
		ChainedOptionsBuilder options = new OptionsBuilder().include(benchmark.getName() + "\\." + methodPrefix)
			.threads(threads)
			.jvmArgsAppend("-Dkv.redis=" + address);
		return new Runner(options.build()).run();
	}

	static Map<String, Double> scores(Collection<RunResult> results) {
		Map<String, Double> scores = new LinkedHashMap<>();
		for (RunResult result : results) {
			scores.put(TurnResults.name(result), result.getPrimaryResult().getScore());
		}
		return scores;
	}

}
