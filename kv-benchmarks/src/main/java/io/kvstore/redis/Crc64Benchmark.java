package io.kvstore.redis;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client's cost of a {@code RESTORE} put: {@link DumpPayload#hash} (copy and CRC-64)
 * and {@link DumpPayload#crc64} alone, beside ways to compute the same CRC-64 kept here:
 * eight tables of 256 taking eight bytes a step (DumpPayload's code until December 2026),
 * the same in one flat table, and three independent lanes over consecutive blocks of 256
 * bytes, combined with shift tables (CRC-64 without final XOR is linear, so crc(A B C) =
 * shift(crc(A), |B C|) ^ shift(crc(B), |C|) ^ crc(C)). Each variant is checked against
 * {@link DumpPayload#crc64} and the check value at setup.
 * <p>
 * {@code java -jar benchmarks.jar Crc64Benchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Crc64Benchmark {

	private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final long POLY = 0x95AC9329AC4BC9B5L;

	// Slicing by eight, eight arrays (the code DumpPayload had before the lanes).
	private static final long[][] TABLES = eightTables();

	// Slicing by eight, in one array: table k at [k * 256, k * 256 + 255].
	private static final long[] FLAT = flat();

	// Bytes per lane and block of the three-lane variant.
	private static final int LANE = 256;

	// shift(crc, n) for n = LANE and 2 * LANE bytes, as eight tables each (a linear map
	// of the crc's bytes).
	private static final long[] SHIFT_1 = shiftTable(LANE);

	private static final long[] SHIFT_2 = shiftTable(2 * LANE);

	@Param({ "100", "10240", "16384" })
	int size;

	private byte[] value;

	private byte[] payload;

	private byte[][] fields;

	@Setup(Level.Trial)
	public void setUp() {
		this.value = new byte[this.size];
		new Random(this.size).nextBytes(this.value);
		this.fields = new byte[][] { EntryLayout.VALUE, this.value, EntryLayout.LENGTH, EntryLayout.ascii(this.size),
				EntryLayout.METADATA,
				"{\"owner\":\"ada\",\"version\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8) };
		this.payload = DumpPayload.hash(this.fields);
		Random random = new Random(1);
		for (int length = 0; length < 5000; length += 1 + random.nextInt(40)) {
			byte[] bytes = new byte[length + 5];
			random.nextBytes(bytes);
			long expected = DumpPayload.crc64(bytes, 5, bytes.length);
			if (flat8(bytes, 5, bytes.length) != expected || lanes3(bytes, 5, bytes.length) != expected
					|| eightTables(bytes, 5, bytes.length) != expected) {
				throw new IllegalStateException("CRC variant differs at length " + length);
			}
		}
		byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		if (lanes3(check, 0, 9) != 0xe9c6d914c4b8d9caL || flat8(check, 0, 9) != 0xe9c6d914c4b8d9caL) {
			throw new IllegalStateException("CRC variant fails the check value");
		}
	}

	@Benchmark
	public byte[] payload() {
		return DumpPayload.hash(this.fields);
	}

	@Benchmark
	public long crcDumpPayload() {
		return DumpPayload.crc64(this.payload, 0, this.payload.length);
	}

	@Benchmark
	public long crcEightTables() {
		return eightTables(this.payload, 0, this.payload.length);
	}

	@Benchmark
	public long crcFlat() {
		return flat8(this.payload, 0, this.payload.length);
	}

	@Benchmark
	public long crcLanes() {
		return lanes3(this.payload, 0, this.payload.length);
	}

	/**
	 * The eight tables and the three lanes in turns of one iteration each, so that both
	 * see the same machine (its speed drifts by a factor of several here): compare the
	 * aux counters of neighbouring iterations, e.g. with -wi 10 -i 40 -w 200ms -r 200ms.
	 */
	@Benchmark
	public long turnsEightTablesAndLanes(Turn turn, Counts counts) {
		if (turn.iteration % 2 == 0) {
			counts.eightTables++;
			return eightTables(this.payload, 0, this.payload.length);
		}
		counts.lanes++;
		return lanes3(this.payload, 0, this.payload.length);
	}

	/** Which variant's turn it is. */
	@State(Scope.Benchmark)
	public static class Turn {

		volatile int iteration = -1;

		@Setup(Level.Iteration)
		public void next() {
			this.iteration++;
		}

	}

	/** CRCs computed per thread by each variant. */
	@AuxCounters(AuxCounters.Type.EVENTS)
	@State(Scope.Thread)
	public static class Counts {

		public long eightTables;

		public long lanes;

		@Setup(Level.Iteration)
		public void reset() {
			this.eightTables = 0;
			this.lanes = 0;
		}

	}

	static long eightTables(byte[] bytes, int from, int to) {
		long[][] t = TABLES;
		long crc = 0;
		int i = from;
		for (; i + 8 <= to; i += 8) {
			crc ^= (long) LONG_LE.get(bytes, i);
			crc = t[7][(int) crc & 0xFF] ^ t[6][(int) (crc >>> 8) & 0xFF] ^ t[5][(int) (crc >>> 16) & 0xFF]
					^ t[4][(int) (crc >>> 24) & 0xFF] ^ t[3][(int) (crc >>> 32) & 0xFF]
					^ t[2][(int) (crc >>> 40) & 0xFF] ^ t[1][(int) (crc >>> 48) & 0xFF] ^ t[0][(int) (crc >>> 56)];
		}
		for (; i < to; i++) {
			crc = t[0][(int) (crc ^ bytes[i]) & 0xFF] ^ (crc >>> 8);
		}
		return crc;
	}

	static long flat8(byte[] bytes, int from, int to) {
		long[] t = FLAT;
		long crc = 0;
		int i = from;
		for (; i + 8 <= to; i += 8) {
			crc = step(t, crc ^ (long) LONG_LE.get(bytes, i));
		}
		for (; i < to; i++) {
			crc = t[(int) (crc ^ bytes[i]) & 0xFF] ^ (crc >>> 8);
		}
		return crc;
	}

	// Three lanes of LANE bytes each, eight bytes a step in every lane, then combined.
	static long lanes3(byte[] bytes, int from, int to) {
		long[] t = FLAT;
		long crc = 0;
		int i = from;
		for (; i + 3 * LANE <= to; i += 3 * LANE) {
			long a = crc;
			long b = 0;
			long c = 0;
			for (int j = i; j < i + LANE; j += 8) {
				a = step(t, a ^ (long) LONG_LE.get(bytes, j));
				b = step(t, b ^ (long) LONG_LE.get(bytes, j + LANE));
				c = step(t, c ^ (long) LONG_LE.get(bytes, j + 2 * LANE));
			}
			crc = apply(SHIFT_2, a) ^ apply(SHIFT_1, b) ^ c;
		}
		for (; i + 8 <= to; i += 8) {
			crc = step(t, crc ^ (long) LONG_LE.get(bytes, i));
		}
		for (; i < to; i++) {
			crc = t[(int) (crc ^ bytes[i]) & 0xFF] ^ (crc >>> 8);
		}
		return crc;
	}

	private static long step(long[] t, long x) {
		return t[0x700 | (int) x & 0xFF] ^ t[0x600 | (int) (x >>> 8) & 0xFF] ^ t[0x500 | (int) (x >>> 16) & 0xFF]
				^ t[0x400 | (int) (x >>> 24) & 0xFF] ^ t[0x300 | (int) (x >>> 32) & 0xFF]
				^ t[0x200 | (int) (x >>> 40) & 0xFF] ^ t[0x100 | (int) (x >>> 48) & 0xFF] ^ t[(int) (x >>> 56)];
	}

	private static long apply(long[] shift, long x) {
		long result = 0;
		for (int k = 0; k < 8; k++) {
			result ^= shift[(k << 8) | (int) (x >>> (8 * k)) & 0xFF];
		}
		return result;
	}

	private static long[][] eightTables() {
		long[] flat = flat();
		long[][] tables = new long[8][];
		for (int k = 0; k < 8; k++) {
			tables[k] = java.util.Arrays.copyOfRange(flat, k << 8, (k + 1) << 8);
		}
		return tables;
	}

	private static long[] flat() {
		long[] t = new long[8 * 256];
		for (int n = 0; n < 256; n++) {
			long crc = n;
			for (int bit = 0; bit < 8; bit++) {
				crc = ((crc & 1) != 0) ? (crc >>> 1) ^ POLY : crc >>> 1;
			}
			t[n] = crc;
		}
		for (int n = 0; n < 256; n++) {
			for (int k = 1; k < 8; k++) {
				long previous = t[((k - 1) << 8) | n];
				t[(k << 8) | n] = (previous >>> 8) ^ t[(int) previous & 0xFF];
			}
		}
		return t;
	}

	// The crc after n zero bytes, for every value of each byte of the crc (the map is
	// linear).
	private static long[] shiftTable(int n) {
		long[] t = FLAT;
		long[] shift = new long[8 * 256];
		for (int k = 0; k < 8; k++) {
			for (int b = 0; b < 256; b++) {
				long crc = ((long) b) << (8 * k);
				for (int z = 0; z < n; z++) {
					crc = t[(int) crc & 0xFF] ^ (crc >>> 8);
				}
				shift[(k << 8) | b] = crc;
			}
		}
		return shift;
	}

}
