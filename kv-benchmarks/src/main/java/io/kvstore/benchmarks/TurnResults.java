package io.kvstore.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.kvstore.benchmarks.Sides.Side;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The figures of benchmarks whose sides took turns ({@link Sides}). The machine's speed
 * drifts by a factor of several from one second to the next here, so a figure is the
 * median over many short turns: a side's time ratio (KV / side) is the median of the
 * ratios of each of its turns to the KV turn just before it, and the time per operation
 * of one thread is a turn's time, times the threads, over the median operations of that
 * side's turns.
 */
final class TurnResults {

	private TurnResults() {
	}

	/**
	 * One side's figures in one benchmark: the time per operation of one thread, KV's and
	 * the side's, and the median ratio of KV's time to the side's in neighbouring turns.
	 */
	record Turns(double kvMicros, double sideMicros, double timeRatio) {
	}

	/** Per benchmark ("name@size"), per side: its figures. */
	static Map<String, Map<Side, Turns>> of(Collection<RunResult> results) {
		Map<String, Map<Side, Turns>> figures = new LinkedHashMap<>();
		for (RunResult result : results) {
			double turnMicros = result.getParams().getMeasurement().getTime().convertTo(TimeUnit.MICROSECONDS)
					* (double) result.getParams().getThreads();
			List<Double> kv = new ArrayList<>();
			Map<Side, List<Double>> sides = new EnumMap<>(Side.class);
			Map<Side, List<Double>> ratios = new EnumMap<>(Side.class);
			for (BenchmarkResult fork : result.getBenchmarkResults()) {
				double previousKv = Double.NaN;
				for (IterationResult iteration : fork.getIterationResults()) {
					Map<String, Result> counters = iteration.getSecondaryResults();
					double kvOperations = counters.get(Sides.KV_COUNTER).getScore();
					if (kvOperations > 0) {
						kv.add(kvOperations);
						previousKv = kvOperations;
						continue;
					}
					for (Side side : Side.values()) {
						double operations = counters.get(side.counter).getScore();
						if (operations > 0) {
							sides.computeIfAbsent(side, (key) -> new ArrayList<>()).add(operations);
							if (!Double.isNaN(previousKv)) {
								ratios.computeIfAbsent(side, (key) -> new ArrayList<>()).add(operations / previousKv);
							}
						}
					}
					previousKv = Double.NaN;
				}
			}
			Map<Side, Turns> figure = new EnumMap<>(Side.class);
			sides.forEach((side, operations) -> figure.put(side, new Turns(turnMicros / median(kv),
					turnMicros / median(operations), median(ratios.getOrDefault(side, List.of())))));
			figures.put(name(result), figure);
		}
		return figures;
	}

	static double median(List<Double> values) {
		if (values.isEmpty()) {
			return Double.NaN;
		}
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	/** A benchmark's method name, with "@" and its size when it has one. */
	static String name(RunResult result) {
		String benchmark = result.getParams().getBenchmark();
		String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
		String size = result.getParams().getParam("size");
		return (size != null) ? name + "@" + size : name;
	}

}
