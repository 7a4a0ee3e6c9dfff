package io.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

import io.kvstore.core.AbstractKvNamespace;
import io.kvstore.core.KvStoredValue;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.ConcurrencyFailureException;

/**
 * Reads a store's entries. A value of one chunk is one {@code HMGET} of value,
 * generation, length (and metadata). A larger value takes a second {@code HMGET} of all
 * of the entry's fields and chunks at once, so that the value and its metadata come from
 * one put; should the entry have changed in between (other chunks), that read starts
 * over, up to {@link #MAX_READ_ATTEMPTS} times. Read as a stream, a larger value is read
 * chunk by chunk ({@link ChunkInputStream}), which reads on from the key named by the
 * value's generation should a large put replace it meanwhile.
 */
final class EntryReader {

	// How often a read of a large value starts again when the value changes between its
	// two reads, before it gives up.
	private static final int MAX_READ_ATTEMPTS = 10;

	private final String store;

	private final KvRedisConnection redis;

	private final EntryLayout layout;

	EntryReader(String store, KvRedisConnection redis, EntryLayout layout) {
		this.store = store;
		this.redis = redis;
		this.layout = layout;
	}

	@Nullable KvStoredValue read(byte[] key, boolean withMetadata, boolean stream) {
		byte[] entryKey = this.layout.entryKey(key);
		byte[][] header = withMetadata ? EntryLayout.READ_WITH_METADATA : EntryLayout.READ;
		byte[][] requested = header;
		for (int attempt = 1;; attempt++) {
			byte[][] read = this.redis.hmget(entryKey, requested);
			byte[] inline = read[0];
			byte[] generation = read[1];
			if (inline == null && generation == null) {
				return null;
			}
			byte[] metadata = withMetadata ? read[3] : null;
			if (inline != null) {
				return KvStoredValue.of(inline, metadata);
			}
			long length = EntryLayout.parseLong(read[2]);
			if (stream) {
				return new KvStoredValue(null, new ChunkInputStream(this.redis, entryKey, generation,
						this.layout.isGenerationKeyOf(entryKey, generation) ? generation : null, length, describe(key)),
						metadata, length);
			}
			byte[] value = (read.length > header.length) ? assemble(read, header.length, length) : null;
			if (value != null) {
				return new KvStoredValue(value, null, metadata, length);
			}
			if (attempt == MAX_READ_ATTEMPTS) {
				throw new ConcurrencyFailureException("The value of " + describe(key) + " changed " + attempt
						+ " times while it was read; try again");
			}
			requested = EntryLayout.withChunks(header, length);
		}
	}

	/**
	 * Reads entries at once: one {@code HMGET} of value and length (and metadata) per
	 * key, written as one batch, so values up to one chunk take one round trip for the
	 * whole call (on a cluster, the masters answer in parallel). The lengths are checked
	 * together before any larger value is read, then each larger value is read whole as
	 * {@link #read} reads it.
	 */
	List<@Nullable KvStoredValue> readAll(List<byte[]> keys, boolean withMetadata, LongConsumer sizeCheck) {
		byte[][] fields = withMetadata ? EntryLayout.BULK_READ_WITH_METADATA : EntryLayout.BULK_READ;
		List<byte[]> entryKeys = new ArrayList<>(keys.size());
		keys.forEach((key) -> entryKeys.add(this.layout.entryKey(key)));
		List<CompletableFuture<byte[][]>> replies = this.redis.hmgetAll(entryKeys, fields);
		this.redis.awaitAll(replies);
		List<byte[][]> read = new ArrayList<>(keys.size());
		long total = 0;
		for (CompletableFuture<byte[][]> reply : replies) {
			byte[][] entry = this.redis.await(reply);
			read.add(entry);
			total += (entry[0] != null) ? entry[0].length : (entry[1] != null) ? EntryLayout.parseLong(entry[1]) : 0;
		}
		sizeCheck.accept(total);
		List<@Nullable KvStoredValue> values = new ArrayList<>(keys.size());
		for (int i = 0; i < keys.size(); i++) {
			byte[][] entry = read.get(i);
			byte[] metadata = withMetadata ? entry[2] : null;
			values.add((entry[0] != null) ? KvStoredValue.of(entry[0], metadata)
					: (entry[1] != null) ? read(keys.get(i), withMetadata, false) : null);
		}
		return values;
	}

	// The value from its chunks, or null when they are not those of a value of that
	// length.
	private static byte @Nullable [] assemble(byte[][] read, int from, long length) {
		long total = 0;
		for (int i = from; i < read.length; i++) {
			if (read[i] == null) {
				return null;
			}
			total += read[i].length;
		}
		if (total != length || total > Integer.MAX_VALUE) {
			return null;
		}
		byte[] value = new byte[(int) total];
		int position = 0;
		for (int i = from; i < read.length; i++) {
			System.arraycopy(read[i], 0, value, position, read[i].length);
			position += read[i].length;
		}
		return value;
	}

	private String describe(byte[] key) {
		return AbstractKvNamespace.describe(this.store, new String(key, StandardCharsets.UTF_8));
	}

}
