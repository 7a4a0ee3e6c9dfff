package io.kvstore;

import java.io.InputStream;
import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One named key-value store.
 * <p>
 * Rules that hold for every method:
 * <ul>
 * <li>A key is any non-empty Java string that is valid Unicode (no lone surrogates), is
 * neither {@code "."} nor {@code ".."}, and takes at most 512 bytes in UTF-8 (the store's
 * {@code max-key-size}). Keys are case-sensitive and binary-safe.</li>
 * <li>Bad input throws {@link IllegalArgumentException} before any I/O, naming the
 * argument, the limit and the value given; nothing is written. A stream is refused as
 * soon as it passes the value size limit, and nothing of it stays behind.</li>
 * <li>A failing or unreachable Redis surfaces as Spring's
 * {@code org.springframework.dao.DataAccessException}; never as a silent {@code null} or
 * a lost write.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface KvNamespace {

	/**
	 * The name of this store, as declared under {@code kv.stores}.
	 * @return the store name
	 */
	String name();

	/**
	 * Stores a text value (UTF-8) with no metadata and no expiration beyond the store's
	 * default TTL.
	 * @param key the key
	 * @param value the value
	 */
	void put(String key, String value);

	/**
	 * Stores a text value (UTF-8), replacing the whole entry: value, metadata and
	 * expiration.
	 * @param key the key
	 * @param value the value
	 * @param options expiration and metadata
	 */
	void put(String key, String value, KvPutOptions options);

	/**
	 * Stores a binary value.
	 * @param key the key
	 * @param value the value, possibly empty
	 */
	void put(String key, byte[] value);

	/**
	 * Stores a binary value, replacing the whole entry.
	 * @param key the key
	 * @param value the value, possibly empty
	 * @param options expiration and metadata
	 */
	void put(String key, byte[] value, KvPutOptions options);

	/**
	 * Stores the bytes of a stream, read to its end in chunks without holding the whole
	 * value in memory. The stream is not closed. The entry is replaced atomically once
	 * the stream has been read completely; a stream that fails or passes the size limit
	 * leaves the previous entry intact.
	 * @param key the key
	 * @param value the stream to read
	 */
	void put(String key, InputStream value);

	/**
	 * Stores the bytes of a stream, replacing the whole entry; see
	 * {@link #put(String, InputStream)}.
	 * @param key the key
	 * @param value the stream to read
	 * @param options expiration and metadata
	 */
	void put(String key, InputStream value, KvPutOptions options);

	/**
	 * Stores a value as JSON, serialised with the application's Jackson mapper.
	 * @param key the key
	 * @param value the value to serialise
	 */
	void putJson(String key, Object value);

	/**
	 * Stores a value as JSON, replacing the whole entry.
	 * @param key the key
	 * @param value the value to serialise
	 * @param options expiration and metadata
	 */
	void putJson(String key, Object value, KvPutOptions options);

	/**
	 * Reads a value as text.
	 * @param key the key
	 * @return the value, or {@code null} when the key is missing or expired
	 */
	@Nullable String get(String key);

	/**
	 * Reads a value as the given type.
	 * @param <T> the Java type of the value
	 * @param key the key
	 * @param type how to read the value
	 * @return the value, or {@code null} when the key is missing or expired (or holds
	 * JSON {@code null} read with {@link KvType#json(Class)})
	 * @throws KvSerializationException when a JSON type meets a value that is not valid
	 * JSON
	 */
	<T> @Nullable T get(String key, KvType<T> type);

	/**
	 * Reads a value as text, with its metadata.
	 * @param key the key
	 * @return the value and metadata; {@code KvValue(null, null, null)} when missing
	 */
	KvValue<String> getWithMetadata(String key);

	/**
	 * Reads a value as the given type, with its metadata.
	 * @param <T> the Java type of the value
	 * @param key the key
	 * @param type how to read the value
	 * @return the value and metadata; {@code KvValue(null, null, null)} when missing
	 */
	<T> KvValue<T> getWithMetadata(String key, KvType<T> type);

	/**
	 * Reads a value as the given type, with options.
	 * @param <T> the Java type of the value
	 * @param key the key
	 * @param type how to read the value
	 * @param options how long a near cache may answer for this read
	 * @return the value, or {@code null} when the key is missing or expired
	 * @throws IllegalArgumentException for a bad key, or a {@code cacheTtl} under the
	 * store's minimum cache TTL
	 * @since 0.2
	 */
	<T> @Nullable T get(String key, KvType<T> type, KvGetOptions options);

	/**
	 * Reads a value as the given type, with its metadata, with options.
	 * @param <T> the Java type of the value
	 * @param key the key
	 * @param type how to read the value
	 * @param options how long a near cache may answer for this read
	 * @return the value and metadata; {@code KvValue(null, null, cacheStatus)} when
	 * missing
	 * @since 0.2
	 */
	<T> KvValue<T> getWithMetadata(String key, KvType<T> type, KvGetOptions options);

	/**
	 * Reads up to 100 values as text at once; see {@link #get(Collection, KvType)}.
	 * @param keys the keys
	 * @return every distinct key requested, in the order first requested, with its value
	 * or {@code null}
	 * @since 0.2
	 */
	Map<String, @Nullable String> get(Collection<String> keys);

	/**
	 * Reads up to 100 values at once. Every key is checked as for a single read, before
	 * any I/O; duplicates count once; an empty collection gives an empty map without I/O.
	 * Values up to 1 MiB take one round trip for the whole call (on a cluster, one per
	 * master, in parallel); a larger value is read whole, with its own metadata, as a
	 * single read does. A bare {@code null} argument is ambiguous to the compiler beside
	 * {@link #get(String, KvType)}: cast it.
	 * @param <T> the Java type of the values
	 * @param keys the keys, at most 100 distinct ones, none {@code null}
	 * @param type how to read the values: {@link KvType#TEXT}, {@link KvType#JSON},
	 * {@link KvType#json(Class)} or {@link KvType#BYTES}; not {@link KvType#STREAM}
	 * @return every distinct key requested, in the order first requested, with its value
	 * or {@code null} when it is missing or expired
	 * @throws IllegalArgumentException for a bad key, more than 100 distinct keys, a
	 * stream type, or values that together exceed the store's {@code max-value-size}
	 * @throws KvSerializationException when a JSON type meets a value that is not valid
	 * JSON (naming its key; nothing is returned)
	 * @since 0.2
	 */
	<T> Map<String, @Nullable T> get(Collection<String> keys, KvType<T> type);

	/**
	 * Reads up to 100 values as text with their metadata at once; see
	 * {@link #get(Collection, KvType)}.
	 * @param keys the keys
	 * @return every distinct key requested, in the order first requested, with its value
	 * and metadata, {@code KvValue(null, null, null)} when missing
	 * @since 0.2
	 */
	Map<String, KvValue<String>> getWithMetadata(Collection<String> keys);

	/**
	 * Reads up to 100 values with their metadata at once; see
	 * {@link #get(Collection, KvType)}.
	 * @param <T> the Java type of the values
	 * @param keys the keys
	 * @param type how to read the values (not {@link KvType#STREAM})
	 * @return every distinct key requested, in the order first requested, with its value
	 * and metadata, {@code KvValue(null, null, null)} when missing
	 * @since 0.2
	 */
	<T> Map<String, KvValue<T>> getWithMetadata(Collection<String> keys, KvType<T> type);

	/**
	 * Lists the first page of all keys of this store.
	 * @return up to 1000 keys with their expiration and metadata
	 */
	KvListResult list();

	/**
	 * Lists one page of keys.
	 * @param options prefix, limit and the cursor of the previous page
	 * @return the page
	 */
	KvListResult list(KvListOptions options);

	/**
	 * Deletes an entry. Deleting a missing key is not an error.
	 * @param key the key
	 */
	void delete(String key);

	/**
	 * Deletes entries at once: every key is checked first, at most the store's
	 * {@code max-list-limit} (1000) distinct keys; missing keys are no error; an empty
	 * collection costs no I/O. One round trip on a single Redis. A bare {@code null}
	 * argument is ambiguous to the compiler beside {@link #delete(String)}: cast it.
	 * @param keys the keys
	 * @since 0.2
	 */
	void delete(Collection<String> keys);

	/**
	 * Deletes every entry of this store, and nothing of any other store. Entries written
	 * while it runs may survive.
	 * @return how many entries it deleted
	 * @since 0.2
	 */
	long clear();

}
