package io.kvstore.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.kvstore.KvType;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * A bulk get of 100 keys ({@code get(keys, BYTES)}) beside (a) 100 single
 * {@code get(key, BYTES)} calls one after another and (b) raw Lettuce: one pipelined
 * batch of 100 {@code HMGET <entry key> v} (written with auto-flush off, flushed once,
 * then awaited), on the same connection. The sides take turns of 250 ms in one JVM, as
 * the single-key benchmarks do ({@link Sides.Turn}, {@link Sides.Counts}): "KV" is always
 * the bulk get, "raw" the side it is compared with.
 * <p>
 * {@link #main} runs both comparisons and prints the medians.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 40, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class BulkBenchmark {

	static final int KEYS = 100;

	private static final byte[] VALUE_FIELD = "v".getBytes(StandardCharsets.US_ASCII);

	@Param({ "100", "10240" })
	int size;

	private BenchmarkRedis redis;

	private RedisKvNamespace store;

	private byte[] value;

	private List<String> keys;

	private byte[][] entryKeys;

	@Setup(Level.Trial)
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.store = this.redis.store("bulk", KvStoreSettings.defaults("bulk"));
		this.value = new byte[this.size];
		new Random(this.size).nextBytes(this.value);
		this.keys = new ArrayList<>(KEYS);
		this.entryKeys = new byte[KEYS][];
		for (int i = 0; i < KEYS; i++) {
			String key = "key-" + i;
			this.keys.add(key);
			// EntryLayout: an entry is the hash kv:<store>:<key>, its value in field v.
			this.entryKeys[i] = ("kv:bulk:" + key).getBytes(StandardCharsets.UTF_8);
			this.store.put(key, this.value);
		}
		// The three sides must read the same values: check once before measuring.
		check(kvBulkGet().values());
		check(kvSingleGets());
		check(rawPipelinedGets());
	}

	private void check(Collection<byte[]> values) {
		if (values.size() != KEYS || !values.stream().allMatch((read) -> Arrays.equals(read, this.value))) {
			throw new IllegalStateException("A side did not read the " + KEYS + " values written");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		BenchmarkRedis.await(this.redis.raw.flushall());
		this.redis.close();
	}

	@Benchmark
	public Map<String, byte[]> kvBulkGet() {
		return this.store.get(this.keys, KvType.BYTES);
	}

	@Benchmark
	public List<byte[]> kvSingleGets() {
		List<byte[]> values = new ArrayList<>(KEYS);
		for (String key : this.keys) {
			values.add(this.store.get(key, KvType.BYTES));
		}
		return values;
	}

	@Benchmark
	public List<byte[]> rawPipelinedGets() {
		List<RedisFuture<List<KeyValue<byte[], byte[]>>>> replies = new ArrayList<>(KEYS);
		// One write for the whole batch, as the bulk get hands its batch to Lettuce. Only
		// this thread uses the connection during a raw turn.
		this.redis.raw.setAutoFlushCommands(false);
		try {
			for (byte[] entryKey : this.entryKeys) {
				replies.add(this.redis.raw.hmget(entryKey, VALUE_FIELD));
			}
			this.redis.raw.flushCommands();
		}
		finally {
			this.redis.raw.setAutoFlushCommands(true);
		}
		List<byte[]> values = new ArrayList<>(KEYS);
		for (RedisFuture<List<KeyValue<byte[], byte[]>>> reply : replies) {
			values.add(BenchmarkRedis.await(reply).get(0).getValueOrElse(null));
		}
		return values;
	}

	/** "KV": the bulk get; "raw": 100 single gets. */
	@Benchmark
	public void turnsBulkVsSingleGets(Sides.Turn turn, Sides.Counts counts) {
		Sides.of(this::kvBulkGet, Sides.Side.RAW, this::kvSingleGets).take(turn, counts);
	}

	/** "KV": the bulk get; "raw": the pipelined raw HMGETs. */
	@Benchmark
	public void turnsBulkVsRawPipelined(Sides.Turn turn, Sides.Counts counts) {
		Sides.of(this::kvBulkGet, Sides.Side.RAW, this::rawPipelinedGets).take(turn, counts);
	}

	/**
	 * Runs both turns benchmarks on one thread against one Redis ({@code -Dkv.redis}, or
	 * one started here) and prints, per size, each side's time per call and the median
	 * (quartiles) of the ratio of neighbouring turns.
	 */
	public static void main(String[] args) throws Exception {
		String address = BenchmarkRedis.address();
		Collection<RunResult> results = new Runner(
				new OptionsBuilder().include(BulkBenchmark.class.getName() + "\\.turns")
					.threads(1)
					.jvmArgsAppend("-Dkv.redis=" + address)
					.build())
			.run();
		StringBuilder report = new StringBuilder();
		report.append(Reports.runOn("Redis at " + address))
			.append(".\n\n| comparison | size | bulk µs | other µs | ratio: median (quartiles) | target |\n")
			.append("| --- | --- | --- | --- | --- | --- |\n");
		for (RunResult result : results) {
			String name = result.getParams().getBenchmark();
			boolean singles = name.endsWith("turnsBulkVsSingleGets");
			Figures figures = figures(result);
			report.append("| ")
				.append(singles ? "100 single gets / bulk" : "bulk / raw pipelined HMGET")
				.append(" | ")
				.append(result.getParams().getParam("size"))
				.append(" B | ")
				.append(format(figures.kvMicros))
				.append(" | ")
				.append(format(figures.rawMicros))
				.append(" | ");
			// The turn ratio is raw's operations over KV's: KV's time over raw's.
			double[] q = figures.ratioQuartiles;
			if (singles) {
				report.append(format(1 / q[1]))
					.append(" (")
					.append(format(1 / q[2]))
					.append("-")
					.append(format(1 / q[0]))
					.append(") | at least 20 |\n");
			}
			else {
				report.append(format(q[1]))
					.append(" (")
					.append(format(q[0]))
					.append("-")
					.append(format(q[2]))
					.append(") | at most 1.20 |\n");
			}
		}
		System.out.println();
		System.out.println(report);
		System.exit(0);
	}

	private record Figures(double kvMicros, double rawMicros, double[] ratioQuartiles) {
	}

	// As KvBenchmarks does for the single-key turns: the time per call is a turn's length
	// over the median calls of that side's turns; the ratio is that of each raw turn's
	// calls to the KV turn just before it.
	private static Figures figures(RunResult result) {
		double turnMicros = result.getParams().getMeasurement().getTime().convertTo(TimeUnit.MICROSECONDS)
				* (double) result.getParams().getThreads();
		List<Double> kv = new ArrayList<>();
		List<Double> raw = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		for (BenchmarkResult fork : result.getBenchmarkResults()) {
			double previousKv = Double.NaN;
			for (IterationResult iteration : fork.getIterationResults()) {
				double kvCalls = iteration.getSecondaryResults().get("kvOperations").getScore();
				double rawCalls = iteration.getSecondaryResults().get("rawOperations").getScore();
				if (kvCalls > 0) {
					kv.add(kvCalls);
					previousKv = kvCalls;
				}
				else if (rawCalls > 0) {
					raw.add(rawCalls);
					if (!Double.isNaN(previousKv)) {
						ratios.add(rawCalls / previousKv);
						previousKv = Double.NaN;
					}
				}
			}
		}
		return new Figures(turnMicros / quantile(kv, 0.5), turnMicros / quantile(raw, 0.5),
				new double[] { quantile(ratios, 0.25), quantile(ratios, 0.5), quantile(ratios, 0.75) });
	}

	private static double quantile(List<Double> values, double q) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		double position = q * (sorted.length - 1);
		int below = (int) Math.floor(position);
		int above = Math.min(below + 1, sorted.length - 1);
		return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
	}

	private static String format(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

}
