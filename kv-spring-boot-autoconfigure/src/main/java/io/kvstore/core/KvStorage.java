package io.kvstore.core;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

/**
 * What a backend does for one store: it stores. Every argument it gets has passed the
 * contract's checks in {@link AbstractKvNamespace}; keys are the UTF-8 bytes of checked
 * keys. A backend keeps the contract's guarantees about storage: a put replaces the whole
 * entry atomically, a reader never sees a mix of two entries, and what fails leaves the
 * previous entry as it was.
 */
public interface KvStorage {

	/**
	 * Replaces an entry with a value held in memory.
	 * @param key the key
	 * @param value the value, within the store's limit
	 * @param write metadata and expiry
	 */
	void put(byte[] key, byte[] value, KvWrite write);

	/**
	 * Replaces an entry with the bytes of a stream, read to its end. The stream throws
	 * {@link IllegalArgumentException} once it passes the store's value limit; whatever
	 * the stream throws, nothing of it may stay behind and the previous entry stays as it
	 * was.
	 * @param key the key
	 * @param value the stream
	 * @param write metadata and expiry
	 * @return the number of bytes written
	 * @throws IOException when reading the stream fails
	 */
	long put(byte[] key, InputStream value, KvWrite write) throws IOException;

	/**
	 * Reads an entry.
	 * @param key the key
	 * @param withMetadata whether the metadata is needed
	 * @param stream whether the value is wanted as a stream (a backend may still give
	 * bytes)
	 * @return the entry, or {@code null} when it is missing or expired
	 */
	@Nullable KvStoredValue read(byte[] key, boolean withMetadata, boolean stream);

	/**
	 * Reads an entry for a read with options. A backend with a near cache answers from it
	 * for at most {@code cacheTtl} seconds after Redis answered, tells who answered
	 * ({@link KvStoredValue#cacheStatus()}) and tells a missing key as
	 * {@link KvStoredValue#missing(String)}; one without ignores {@code cacheTtl}, as
	 * this default does.
	 * @param key the key
	 * @param withMetadata whether the metadata is needed
	 * @param stream whether the value is wanted as a stream
	 * @param cacheTtl the read's cache TTL in seconds, checked, or {@code null} for the
	 * near cache's default
	 * @return the entry, or {@code null} (or a missing value with a cache status) when it
	 * is missing or expired
	 */
	default @Nullable KvStoredValue read(byte[] key, boolean withMetadata, boolean stream, @Nullable Long cacheTtl) {
		return read(key, withMetadata, stream);
	}

	/**
	 * Reads entries at once, their values whole (never as streams). Before it assembles
	 * any value over one chunk, it hands the values' total length to {@code sizeCheck},
	 * which throws when they are too large together.
	 * @param keys the keys, distinct
	 * @param withMetadata whether the metadata is needed
	 * @param sizeCheck refuses values too large together
	 * @return per key, in the same order, the entry or {@code null} when it is missing (a
	 * backend with a near cache: {@link KvStoredValue#missing(String)})
	 */
	List<@Nullable KvStoredValue> readAll(List<byte[]> keys, boolean withMetadata, LongConsumer sizeCheck);

	/**
	 * One page of a listing.
	 * @param prefix the key prefix (empty for all keys)
	 * @param limit the page size, 1 up to the store's largest page
	 * @param cursor the cursor of the previous page, or {@code null} for the first; a
	 * cursor made by another store or for another prefix is refused with
	 * {@link IllegalArgumentException} ({@link KvCursors})
	 * @return the page, sorted by the keys' bytes
	 */
	Page list(byte[] prefix, int limit, @Nullable String cursor);

	/**
	 * Deletes an entry; a missing one is no error.
	 * @param key the key
	 */
	void delete(byte[] key);

	/**
	 * Deletes entries at once; missing ones are no error.
	 * @param keys the keys, distinct, at least one
	 */
	void deleteAll(List<byte[]> keys);

	/**
	 * Deletes every entry of the store.
	 * @return how many entries were deleted
	 */
	long clear();

	/**
	 * One round trip to where the entries are, for health checks.
	 * @return how long it took
	 */
	Duration ping();

	/**
	 * Where the entries are kept, for the start-up log and health: such as
	 * {@code redis localhost:6379} or {@code memory (the application's heap)}.
	 * @return a short description
	 */
	String describe();

	/**
	 * A page of keys.
	 *
	 * @param keys the keys, sorted by their bytes
	 * @param cursor the cursor of the next page, or {@code null} when this is the last
	 * one
	 */
	record Page(List<KvStoredKey> keys, @Nullable String cursor) {
	}

	/**
	 * A listed key.
	 *
	 * @param key the key's bytes
	 * @param expiresAtMillis its expiry in epoch milliseconds, or {@code null} for none
	 * @param metadata its metadata JSON, or {@code null} for none
	 */
	record KvStoredKey(byte[] key, @Nullable Long expiresAtMillis, byte @Nullable [] metadata) {
	}

}
