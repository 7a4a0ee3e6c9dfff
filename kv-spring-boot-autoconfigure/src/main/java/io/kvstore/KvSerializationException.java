package io.kvstore;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a stored value cannot be read as the requested JSON type.
 */
public class KvSerializationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** The key whose value could not be read. */
	private final String key;

	/**
	 * Creates an exception for the value of the given key.
	 * @param key the key whose value could not be read
	 * @param message the detail message
	 * @param cause the underlying parsing error
	 */
	public KvSerializationException(String key, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.key = key;
	}

	/**
	 * The key whose value could not be read.
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

}
