package io.kvstore.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;

/**
 * Up to one chunk of a value ({@link EntryLayout#CHUNK_SIZE}), held in segments of 64 KiB
 * rather than one array of a mebibyte: under G1, whose regions are one or two MiB on the
 * heaps most applications run, an array of a mebibyte is a humongous object that takes
 * whole regions of its own and is reclaimed apart from the young generation, so that
 * concurrent streams of large values would run out of heap long before their chunks fill
 * it. A chunk travels to Redis from its segments ({@link ChunkCommands}, written into
 * Lettuce's output buffer) and comes back into them, never as one array.
 * <p>
 * Not thread-safe: a buffer belongs to one put or one reading stream at a time.
 */
final class ChunkBuffer {

	/** The size of a segment; a small array for every collector. */
	static final int SEGMENT_SIZE = 64 * 1024;

	private static final int SEGMENTS = EntryLayout.CHUNK_SIZE / SEGMENT_SIZE;

	private final byte[][] segments = new byte[SEGMENTS][];

	private int length;

	/** The number of bytes held. */
	int length() {
		return this.length;
	}

	/** Whether it holds a whole chunk. */
	boolean isFull() {
		return this.length == EntryLayout.CHUNK_SIZE;
	}

	/**
	 * Refills it from a stream, up to one chunk.
	 * @param first a byte read ahead that comes first, or -1 for none
	 * @param in the stream
	 * @return the number of bytes now held
	 */
	int fill(int first, InputStream in) throws IOException {
		this.length = 0;
		if (first != -1) {
			segment(0)[0] = (byte) first;
			this.length = 1;
		}
		while (this.length < EntryLayout.CHUNK_SIZE) {
			byte[] segment = segment(this.length / SEGMENT_SIZE);
			int offset = this.length % SEGMENT_SIZE;
			int n = in.readNBytes(segment, offset, SEGMENT_SIZE - offset);
			this.length += n;
			if (n < SEGMENT_SIZE - offset) {
				break;
			}
		}
		return this.length;
	}

	/**
	 * Replaces what it holds with a chunk from Redis' reply.
	 * @param bytes the chunk, consumed
	 */
	void set(ByteBuffer bytes) {
		int size = bytes.remaining();
		if (size > EntryLayout.CHUNK_SIZE) {
			throw new IllegalStateException("A chunk of " + size + " bytes is larger than a chunk can be");
		}
		this.length = 0;
		while (bytes.hasRemaining()) {
			int n = Math.min(SEGMENT_SIZE, bytes.remaining());
			bytes.get(segment(this.length / SEGMENT_SIZE), 0, n);
			this.length += n;
		}
	}

	/** Writes what it holds as the content of a RESP bulk string. */
	void writeTo(ByteBuf target) {
		for (int written = 0; written < this.length; written += SEGMENT_SIZE) {
			target.writeBytes(this.segments[written / SEGMENT_SIZE], 0, Math.min(SEGMENT_SIZE, this.length - written));
		}
	}

	/** What it holds, as one array of its length. */
	byte[] toArray() {
		byte[] bytes = new byte[this.length];
		for (int position = 0; position < this.length;) {
			position += copy(position, bytes, position, this.length - position);
		}
		return bytes;
	}

	/** The byte at a position below {@link #length()}. */
	byte byteAt(int position) {
		return this.segments[position / SEGMENT_SIZE][position % SEGMENT_SIZE];
	}

	/**
	 * Copies bytes out.
	 * @param position where to start, below {@link #length()}
	 * @param target where to copy to
	 * @param offset where in the target
	 * @param count at most this many bytes
	 * @return the number of bytes copied, at most to the end of the segment that holds
	 * the position
	 */
	int copy(int position, byte[] target, int offset, int count) {
		int inSegment = position % SEGMENT_SIZE;
		int n = Math.min(Math.min(count, SEGMENT_SIZE - inSegment), this.length - position);
		System.arraycopy(this.segments[position / SEGMENT_SIZE], inSegment, target, offset, n);
		return n;
	}

	private byte[] segment(int index) {
		byte[] segment = this.segments[index];
		if (segment == null) {
			segment = new byte[SEGMENT_SIZE];
			this.segments[index] = segment;
		}
		return segment;
	}

}
