package io.kvstore.redis;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Reads a blob chunk by chunk with {@code GETRANGE}, holding one chunk at a time. Blobs are
 * never changed once committed, so every byte read belongs to one value; when the blob goes
 * away mid-read (its entry expired, or it was replaced or deleted longer ago than the grace
 * period) the next read fails with an {@link IOException} instead of returning a short value.
 */
final class BlobInputStream extends InputStream {

	private final KvRedisConnection redis;

	private final byte[] blobKey;

	private final long length;

	private final String description;

	private long position;

	private byte @Nullable [] chunk;

	private int chunkPosition;

	private boolean closed;

	BlobInputStream(KvRedisConnection redis, byte[] blobKey, long length, String description) {
		this.redis = redis;
		this.blobKey = blobKey;
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
		long end = Math.min(start + EntryLayout.CHUNK_SIZE, this.length) - 1;
		byte[] next = this.redis.sync((commands) -> commands.getrange(this.blobKey, start, end));
		if (next == null || next.length != end - start + 1) {
			this.chunk = null;
			throw new IOException("The value of " + this.description + " went away while it was read (the entry expired, "
					+ "or was replaced or deleted more than " + EntryLayout.GRACE_MILLIS / 1000
					+ " seconds ago); read " + start + " of " + this.length + " bytes");
		}
		this.chunk = next;
		this.chunkPosition = 0;
		this.position = end + 1;
		return next;
	}

}
