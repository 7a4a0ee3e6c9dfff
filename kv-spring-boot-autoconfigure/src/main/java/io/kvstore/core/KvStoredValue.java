package io.kvstore.core;

import java.io.InputStream;

import org.jspecify.annotations.Nullable;

/**
 * An entry as a backend read it: its value as bytes or, for a large value read as a
 * stream, as a stream of its chunks; its metadata when asked for; and, from a backend
 * with a near cache, who answered. A backend with a near cache also tells a missing key
 * with its cache status ({@link #missing(String)}: neither value nor stream); one without
 * returns {@code null} for a missing key.
 *
 * @param value the value, or {@code null} when it is given as {@code stream} or the key
 * is missing
 * @param stream the value as a stream, or {@code null} when it is given as {@code value}
 * or the key is missing
 * @param metadata the metadata JSON, or {@code null} for none
 * @param length the value's length in bytes (0 for a missing key)
 * @param cacheStatus {@code HIT}, {@code MISS} or {@code BYPASS} from a backend with a
 * near cache, {@code null} from one without
 */
public record KvStoredValue(byte @Nullable [] value, @Nullable InputStream stream, byte @Nullable [] metadata,
		long length, @Nullable String cacheStatus) {

	/** The near cache answered. */
	public static final String HIT = "HIT";

	/** Redis answered (and the answer may now be cached). */
	public static final String MISS = "MISS";

	/**
	 * Redis answered a read the near cache does not keep: a stream, or a value over its
	 * limit.
	 */
	public static final String BYPASS = "BYPASS";

	/**
	 * An entry without cache status.
	 * @param value the value, or {@code null} when it is given as {@code stream}
	 * @param stream the value as a stream, or {@code null} when it is given as
	 * {@code value}
	 * @param metadata the metadata JSON, or {@code null} for none
	 * @param length the value's length in bytes
	 */
	public KvStoredValue(byte @Nullable [] value, @Nullable InputStream stream, byte @Nullable [] metadata,
			long length) {
		this(value, stream, metadata, length, null);
	}

	/**
	 * An entry read whole.
	 * @param value the value
	 * @param metadata the metadata JSON, or {@code null}
	 * @return the entry
	 */
	public static KvStoredValue of(byte[] value, byte @Nullable [] metadata) {
		return new KvStoredValue(value, null, metadata, value.length);
	}

	/**
	 * A missing key, as a backend with a near cache tells it.
	 * @param cacheStatus who answered: {@code HIT} or {@code MISS}
	 * @return the missing entry
	 */
	public static KvStoredValue missing(String cacheStatus) {
		return new KvStoredValue(null, null, null, 0, cacheStatus);
	}

	/**
	 * The same entry with a cache status.
	 * @param status the cache status
	 * @return the entry
	 */
	public KvStoredValue withCacheStatus(@Nullable String status) {
		return new KvStoredValue(this.value, this.stream, this.metadata, this.length, status);
	}

	/**
	 * The value read whole.
	 * @return the value's bytes
	 * @throws IllegalStateException when the key is missing or the value is a stream
	 */
	public byte[] bytes() {
		if (this.value == null) {
			throw new IllegalStateException((this.stream != null) ? "The value is a stream" : "The key is missing");
		}
		return this.value;
	}

	/**
	 * Whether this tells a missing key ({@link #missing(String)}).
	 * @return {@code true} when there is neither value nor stream
	 */
	public boolean isMissing() {
		return this.value == null && this.stream == null;
	}

}
