package io.kvstore.redis;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Reads a large value chunk by chunk, holding one chunk at a time, in a
 * {@link ChunkBuffer} that every chunk is read into in turn: an {@code HMGET} of the next
 * chunk and the entry's generation, one atomic read per chunk. Every chunk read comes
 * with the generation of the put that wrote it, so every byte returned belongs to one
 * value. Once the entry has another generation or is gone, the stream reads the same
 * chunk from the key named by its generation, where a large put that replaced it keeps it
 * for the grace period ({@link EntryLayout#RETIRED_TTL_MILLIS}), and reads on there; when
 * that has no such chunk either (the value was deleted, replaced by a small one, or
 * expired, or the grace period is over), the read fails with an {@link IOException}
 * instead of returning a short or mixed value.
 */
final class ChunkInputStream extends InputStream {

	private final KvRedisConnection redis;

	private final byte[] generation;

	/** Where the chunks are read: the entry, then its retired generation key. */
	private byte[] source;

	/**
	 * The key a replacing put keeps the value under (its generation), or {@code null}
	 * when the generation is not one (the stream then never reads elsewhere).
	 */
	private byte @Nullable [] retiredKey;

	private final long length;

	private final String description;

	private ChunkBuffer chunk = new ChunkBuffer();

	/** Where the chunk held starts in the value. */
	private long chunkStart;

	private int chunkPosition;

	private boolean closed;

	/**
	 * A stream of a large value.
	 * @param entryKey the entry
	 * @param generation its generation, as read with its length
	 * @param retiredKey the key a replacing large put keeps the value under (the
	 * generation, when {@link EntryLayout#isGenerationKeyOf} says it is one), or
	 * {@code null}
	 * @param length the value's length
	 * @param description how messages name the key
	 */
	ChunkInputStream(KvRedisConnection redis, byte[] entryKey, byte[] generation, byte @Nullable [] retiredKey,
			long length, String description) {
		this.redis = redis;
		this.source = entryKey;
		this.generation = generation;
		this.retiredKey = retiredKey;
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
		long read = readChunk(field, start);
		byte[] retired = this.retiredKey;
		if (read != expected && retired != null) {
			// Replaced: a large put keeps the value under its generation for a while.
			// The chunk was not read into the buffer (the reply had another generation or
			// no chunk), so the buffer is free to read it again.
			this.source = retired;
			this.retiredKey = null;
			read = readChunk(field, start);
		}
		if (read != expected) {
			this.chunk = new ChunkBuffer();
			this.chunkStart = start;
			throw new IOException("The value of " + this.description + " changed while it was read (it was deleted, "
					+ "replaced by a value of up to one chunk or expired, or a larger value replaced it more than "
					+ EntryLayout.RETIRED_TTL_MILLIS / 1000 + " seconds ago); read " + start + " of " + this.length
					+ " bytes");
		}
		this.chunkStart = start;
		this.chunkPosition = 0;
		return true;
	}

	// Reads a chunk of the value from the source into the buffer: its length, or -1
	// when the source has no such chunk of this generation.
	private long readChunk(byte[] field, long start) {
		try {
			return this.redis
				.await(this.redis.dispatch(ChunkCommands.readChunk(this.source, field, this.generation, this.chunk)));
		}
		catch (RuntimeException ex) {
			// A reply that still arrives must not fill a buffer that is read again.
			this.chunk = new ChunkBuffer();
			this.chunkStart = start;
			throw ex;
		}
	}

}
