package io.kvstore.core;

import java.io.InputStream;

import org.jspecify.annotations.Nullable;

/**
 * An entry as a backend read it: its value as bytes or, for a large value read as a stream,
 * as a stream of its chunks; its metadata when asked for.
 *
 * @param value the value, or {@code null} when it is given as {@code stream}
 * @param stream the value as a stream, or {@code null} when it is given as {@code value}
 * @param metadata the metadata JSON, or {@code null} for none
 * @param length the value's length in bytes
 */
public record KvStoredValue(byte @Nullable [] value, @Nullable InputStream stream, byte @Nullable [] metadata,
		long length) {

	/**
	 * An entry read whole.
	 * @param value the value
	 * @param metadata the metadata JSON, or {@code null}
	 * @return the entry
	 */
	public static KvStoredValue of(byte[] value, byte @Nullable [] metadata) {
		return new KvStoredValue(value, null, metadata, value.length);
	}

}
