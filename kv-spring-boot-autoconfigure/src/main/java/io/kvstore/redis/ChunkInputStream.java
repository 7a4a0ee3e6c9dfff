package io.kvstore.redis;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads a large value chunk by chunk, holding one chunk at a time, in a
 * {@link ChunkBuffer} that every chunk is read into in turn: an {@code HMGET} of the next
 * chunk and the entry's generation, one atomic read per chunk. Every chunk read comes
 * with the generation of the put that wrote it, so every byte returned belongs to one
 * value; once the entry has been replaced, deleted or has expired, the next read fails
 * with an {@link IOException} instead of returning a short or mixed value.
 */
final class ChunkInputStream extends InputStream {

	private final KvRedisConnection redis;

	private final byte[] entryKey;

	private final byte[] generation;

	private final long length;

	private final String description;

	private ChunkBuffer chunk = new ChunkBuffer();

	/** Where the chunk held starts in the value. */
	private long chunkStart;

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
		return hasBytes() ? this.chunk.byteAt(this.chunkPosition++) & 0xFF : -1;
	}

	@Override
	public int read(byte[] buffer, int offset, int count) throws IOException {
		Objects.checkFromIndexSize(offset, count, buffer.length);
		if (count == 0) {
			return 0;
		}
		if (!hasBytes()) {
			return -1;
		}
		int n = this.chunk.copy(this.chunkPosition, buffer, offset, count);
		this.chunkPosition += n;
		return n;
	}

	@Override
	public int available() {
		return this.closed ? 0 : this.chunk.length() - this.chunkPosition;
	}

	@Override
	public void close() {
		this.closed = true;
		this.chunk = new ChunkBuffer();
	}

	// Whether there are bytes to read; reads the next chunk when the one held is done.
	private boolean hasBytes() throws IOException {
		if (this.closed) {
			throw new IOException("Stream closed");
		}
		if (this.chunkPosition < this.chunk.length()) {
			return true;
		}
		long start = this.chunkStart + this.chunk.length();
		if (start >= this.length) {
			return false;
		}
		int expected = (int) Math.min(EntryLayout.CHUNK_SIZE, this.length - start);
		byte[] field = EntryLayout.chunkField((int) (start / EntryLayout.CHUNK_SIZE));
		long read;
		try {
			read = this.redis
				.await(this.redis.dispatch(ChunkCommands.readChunk(this.entryKey, field, this.generation, this.chunk)));
		}
		catch (RuntimeException ex) {
			// A reply that still arrives must not fill a buffer that is read again.
			this.chunk = new ChunkBuffer();
			this.chunkStart = start;
			throw ex;
		}
		if (read != expected) {
			this.chunk = new ChunkBuffer();
			this.chunkStart = start;
			throw new IOException("The value of " + this.description + " changed while it was read (it was replaced or "
					+ "deleted, or it expired); read " + start + " of " + this.length + " bytes");
		}
		this.chunkStart = start;
		this.chunkPosition = 0;
		return true;
	}

}
