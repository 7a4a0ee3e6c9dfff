package io.kvstore.redis;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A Redis hash in the serialized form that {@code DUMP} produces and {@code RESTORE}
 * takes, so that a put can replace an entry with one {@code RESTORE ... REPLACE}: one
 * command, atomic, with its expiry, and no script.
 * <p>
 * The form: the RDB type of a plain hash ({@code 4}), the number of fields, each field
 * and value as an RDB string (its length, then its bytes), then the RDB version
 * ({@code 9}, that of Redis 6.2, which every later Redis reads too) as two little-endian
 * bytes, then the CRC-64 (Jones polynomial, reflected, as Redis computes it) of all of
 * the above, as eight little-endian bytes. Redis checks version and checksum before it
 * reads the rest, and stores a small hash compactly (as a listpack) whatever form it came
 * in.
 */
final class DumpPayload {

	private static final byte RDB_TYPE_HASH = 4;

	private static final int RDB_VERSION = 9;

	private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	// CRC-64/Jones, reflected: eight tables of 256 in one array (table k at k * 256), to
	// take eight bytes per step.
	private static final long[] CRC_TABLES = crcTables(0x95AC9329AC4BC9B5L);

	// The bytes per lane of one block of three lanes (see crc64).
	private static final int LANE = 256;

	// The CRC after LANE and after 2 * LANE more zero bytes, as a function of each byte
	// of the CRC before (a linear map, so eight tables of 256 in one array give it).
	private static final long[] SHIFT_LANE = shiftTables(LANE);

	private static final long[] SHIFT_TWO_LANES = shiftTables(2 * LANE);

	private DumpPayload() {
	}

	/**
	 * The payload of a hash with the given fields and values.
	 * @param fieldsAndValues field names and values, alternating
	 * @return the payload for {@code RESTORE}
	 */
	static byte[] hash(byte[]... fieldsAndValues) {
		int size = 1 + lengthSize(fieldsAndValues.length / 2) + 2 + 8;
		for (byte[] bytes : fieldsAndValues) {
			size += lengthSize(bytes.length) + bytes.length;
		}
		byte[] payload = new byte[size];
		int position = 0;
		payload[position++] = RDB_TYPE_HASH;
		position = writeLength(payload, position, fieldsAndValues.length / 2);
		for (byte[] bytes : fieldsAndValues) {
			position = writeLength(payload, position, bytes.length);
			System.arraycopy(bytes, 0, payload, position, bytes.length);
			position += bytes.length;
		}
		payload[position++] = (byte) RDB_VERSION;
		payload[position++] = (byte) (RDB_VERSION >>> 8);
		LONG_LE.set(payload, position, crc64(payload, 0, position));
		return payload;
	}

	// RDB lengths: 6 bits in one byte, 14 bits in two, or a marker byte and 32 bits
	// big-endian.
	private static int lengthSize(int length) {
		return (length < 64) ? 1 : (length < 16384) ? 2 : 5;
	}

	private static int writeLength(byte[] payload, int position, int length) {
		if (length < 64) {
			payload[position] = (byte) length;
			return position + 1;
		}
		if (length < 16384) {
			payload[position] = (byte) (0x40 | (length >>> 8));
			payload[position + 1] = (byte) length;
			return position + 2;
		}
		payload[position] = (byte) 0x80;
		payload[position + 1] = (byte) (length >>> 24);
		payload[position + 2] = (byte) (length >>> 16);
		payload[position + 3] = (byte) (length >>> 8);
		payload[position + 4] = (byte) length;
		return position + 5;
	}

	/**
	 * Redis' CRC-64 of part of an array. Eight bytes per step; blocks of {@code 3 * LANE}
	 * bytes are taken as three lanes of consecutive bytes in one loop, so that the CPU
	 * overlaps the table look-ups of three independent CRCs, which are then combined:
	 * without a final XOR the CRC is linear, so crc(A B C) = shift(crc(A), |B| + |C|) ^
	 * shift(crc(B), |C|) ^ crc(C), where shift(crc, n) is the CRC after n more zero
	 * bytes.
	 */
	static long crc64(byte[] bytes, int from, int to) {
		long[] t = CRC_TABLES;
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
			crc = shift(SHIFT_TWO_LANES, a) ^ shift(SHIFT_LANE, b) ^ c;
		}
		for (; i + 8 <= to; i += 8) {
			crc = step(t, crc ^ (long) LONG_LE.get(bytes, i));
		}
		for (; i < to; i++) {
			crc = t[(int) (crc ^ bytes[i]) & 0xFF] ^ (crc >>> 8);
		}
		return crc;
	}

	// The CRC after eight more bytes, given the CRC before XOR those bytes
	// (little-endian).
	private static long step(long[] t, long x) {
		return t[0x700 | (int) x & 0xFF] ^ t[0x600 | (int) (x >>> 8) & 0xFF] ^ t[0x500 | (int) (x >>> 16) & 0xFF]
				^ t[0x400 | (int) (x >>> 24) & 0xFF] ^ t[0x300 | (int) (x >>> 32) & 0xFF]
				^ t[0x200 | (int) (x >>> 40) & 0xFF] ^ t[0x100 | (int) (x >>> 48) & 0xFF] ^ t[(int) (x >>> 56)];
	}

	private static long shift(long[] tables, long crc) {
		long shifted = 0;
		for (int k = 0; k < 8; k++) {
			shifted ^= tables[(k << 8) | (int) (crc >>> (8 * k)) & 0xFF];
		}
		return shifted;
	}

	private static long[] crcTables(long reflectedPolynomial) {
		long[] tables = new long[8 * 256];
		for (int n = 0; n < 256; n++) {
			long crc = n;
			for (int bit = 0; bit < 8; bit++) {
				crc = ((crc & 1) != 0) ? (crc >>> 1) ^ reflectedPolynomial : crc >>> 1;
			}
			tables[n] = crc;
		}
		for (int n = 0; n < 256; n++) {
			for (int k = 1; k < 8; k++) {
				long previous = tables[((k - 1) << 8) | n];
				tables[(k << 8) | n] = (previous >>> 8) ^ tables[(int) previous & 0xFF];
			}
		}
		return tables;
	}

	private static long[] shiftTables(int zeros) {
		long[] shift = new long[8 * 256];
		for (int k = 0; k < 8; k++) {
			for (int b = 0; b < 256; b++) {
				long crc = ((long) b) << (8 * k);
				for (int z = 0; z < zeros; z++) {
					crc = CRC_TABLES[(int) crc & 0xFF] ^ (crc >>> 8);
				}
				shift[(k << 8) | b] = crc;
			}
		}
		return shift;
	}

}
