package io.kvstore.redis;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Reads a large value chunk by chunk, holding one chunk at a time: an {@code HMGET} of
 * the next chunk and the entry's generation, one atomic read per chunk. Every chunk read
 * comes with the generation of the put that wrote it, so every byte returned belongs to
 * one value; once the entry has been replaced, deleted or has expired, the next read
 * fails with an {@link IOException} instead of returning a short or mixed value.
 */
final class ChunkInputStream extends InputStream {

	private final KvRedisConnection redis;

	private final byte[] entryKey;

	private final byte[] generation;

	private final long length;

	private final String description;

	private long position;

	private byte @Nullable [] chunk;

	private int chunkPosition;

	private boolean closed;

	ChunkInputStream(KvRedisConnection redis, byte[] entryKey, byte[] generation, long length, String description) {
		this.redis = redis;
		this.entryKey = entryKey;
		this.generation = generation;
		this.length = length;
		this.description = description;
	}

	@Override
	public int read() throws IOException {
		byte[] current = current();
		return (current != null) ? current[this.chunkPosition++] & 0xFF : -1;
	}

	@Override
	public int read(byte[] buffer, int offset, int count) throws IOException {
		Objects.checkFromIndexSize(offset, count, buffer.length);
		if (count == 0) {
			return 0;
		}
		byte[] current = current();
		if (current == null) {
			return -1;
		}
		int n = Math.min(count, current.length - this.chunkPosition);
		System.arraycopy(current, this.chunkPosition, buffer, offset, n);
		this.chunkPosition += n;
		return n;
	}

	@Override
	public int available() {
		byte[] current = this.chunk;
		return (current != null) ? current.length - this.chunkPosition : 0;
	}

	@Override
	public void close() {
		this.closed = true;
		this.chunk = null;
	}

	private byte @Nullable [] current() throws IOException {
		if (this.closed) {
			throw new IOException("Stream closed");
		}
		byte[] current = this.chunk;
		if (current != null && this.chunkPosition < current.length) {
			return current;
		}
		if (this.position >= this.length) {
			this.chunk = null;
			return null;
		}
		long start = this.position;
		int expected = (int) Math.min(EntryLayout.CHUNK_SIZE, this.length - start);
		byte[] field = EntryLayout.chunkField((int) (start / EntryLayout.CHUNK_SIZE));
		byte[][] read = this.redis.hmget(this.entryKey, EntryLayout.GENERATION, field);
		byte[] next = read[1];
		if (!Arrays.equals(read[0], this.generation) || next == null || next.length != expected) {
			this.chunk = null;
			throw new IOException("The value of " + this.description + " changed while it was read (it was replaced or "
					+ "deleted, or it expired); read " + start + " of " + this.length + " bytes");
		}
		this.chunk = next;
		this.chunkPosition = 0;
		this.position = start + expected;
		return next;
	}

}
