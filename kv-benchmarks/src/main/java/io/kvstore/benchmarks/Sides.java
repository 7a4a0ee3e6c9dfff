package io.kvstore.benchmarks;

import java.util.List;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * KV and what it is measured against, taking turns in one JVM: every other turn (JMH
 * iteration) is KV's, and the turns between go to its baselines and peers in order (KV,
 * raw, KV, Redisson, KV, raw, ...). Each side's operations are counted in an aux counter
 * of its own, so that the report can pair each turn with the KV turn before it.
 */
public final class Sides {

	/** A side other than KV, with the aux counter ({@link Counts}) that counts it. */
	enum Side {

		RAW("raw", "rawOperations"),

		RAW_HASH("raw HSET + PEXPIRE", "rawHashOperations"),

		REDISSON("Redisson", "redissonOperations"),

		SDR("SDR", "sdrOperations"),

		SDR_PIPELINED("SDR pipelined", "sdrPipelinedOperations"),

		KV_STAGED("KV staged", "kvStagedOperations"),

		KV_NO_WAIT("KV without WAIT", "kvNoWaitOperations");

		final String label;

		final String counter;

		Side(String label, String counter) {
			this.label = label;
			this.counter = counter;
		}

	}

	/** The aux counter of KV's operations. */
	static final String KV_COUNTER = "kvOperations";

	private final Runnable kv;

	private final List<Side> others;

	private final Runnable[] operations;

	private Sides(Runnable kv, List<Side> others, Runnable[] operations) {
		this.kv = kv;
		this.others = others;
		this.operations = operations;
	}

	/** KV against one other side. */
	static Sides of(Runnable kv, Side side, Runnable operation) {
		return new Sides(kv, List.of(side), new Runnable[] { operation });
	}

	/** KV against several other sides, given as side, operation, side, operation, ... */
	static Sides of(Runnable kv, Object... sidesAndOperations) {
		Side[] sides = new Side[sidesAndOperations.length / 2];
		Runnable[] operations = new Runnable[sides.length];
		for (int i = 0; i < sides.length; i++) {
			sides[i] = (Side) sidesAndOperations[2 * i];
			operations[i] = (Runnable) sidesAndOperations[2 * i + 1];
		}
		return new Sides(kv, List.of(sides), operations);
	}

	List<Side> others() {
		return this.others;
	}

	/** KV's operation (index 0) or that of the other side at index - 1. */
	Runnable operation(int index) {
		return (index == 0) ? this.kv : this.operations[index - 1];
	}

	/** Runs this turn's side once and counts it. */
	void take(Turn turn, Counts counts) {
		int iteration = turn.iteration;
		if (iteration % 2 == 0) {
			this.kv.run();
			counts.kvOperations++;
			return;
		}
		int other = (iteration / 2) % this.operations.length;
		this.operations[other].run();
		counts.add(this.others.get(other));
	}

	/**
	 * Whose turn it is: KV in every even iteration, the other sides in turn in the odd
	 * ones.
	 */
	@State(Scope.Benchmark)
	public static class Turn {

		volatile int iteration = -1;

		@Setup(Level.Iteration)
		public void next() {
			this.iteration++;
		}

	}

	/** Operations done per thread by each side, reported beside the score. */
	@AuxCounters(AuxCounters.Type.EVENTS)
	@State(Scope.Thread)
	public static class Counts {

		public long kvOperations;

		public long rawOperations;

		public long rawHashOperations;

		public long redissonOperations;

		public long sdrOperations;

		public long sdrPipelinedOperations;

		public long kvStagedOperations;

		public long kvNoWaitOperations;

		@Setup(Level.Iteration)
		public void reset() {
			this.kvOperations = 0;
			this.rawOperations = 0;
			this.rawHashOperations = 0;
			this.redissonOperations = 0;
			this.sdrOperations = 0;
			this.sdrPipelinedOperations = 0;
			this.kvStagedOperations = 0;
			this.kvNoWaitOperations = 0;
		}

		void add(Side side) {
			switch (side) {
				case RAW -> this.rawOperations++;
				case RAW_HASH -> this.rawHashOperations++;
				case REDISSON -> this.redissonOperations++;
				case SDR -> this.sdrOperations++;
				case SDR_PIPELINED -> this.sdrPipelinedOperations++;
				case KV_STAGED -> this.kvStagedOperations++;
				case KV_NO_WAIT -> this.kvNoWaitOperations++;
			}
		}

	}

}
