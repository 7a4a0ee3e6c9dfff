package io.kvstore.redis;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The settings of one store. Every limit has the default that the KV contract states; a
 * store may raise or lower them.
 *
 * @param keyPrefix the prefix of every Redis key of the store, {@code kv:<store>:} by
 * default; it may hold one complete Redis Cluster hash tag (such as {@code {sessions}}) but
 * no other braces
 * @param defaultTtl how long an entry put without expiration lives; {@code null} for no limit
 * @param maxKeySize the largest key, in UTF-8 bytes
 * @param maxValueSize the largest value, in bytes
 * @param maxMetadataSize the largest metadata, in bytes of compact UTF-8 JSON
 * @param minTtl the shortest expiration a put may ask for, whole seconds, at least one second
 * @param maxListLimit the largest page a list may ask for
 */
public record KvStoreSettings(String keyPrefix, @Nullable Duration defaultTtl, int maxKeySize, int maxValueSize,
		int maxMetadataSize, Duration minTtl, int maxListLimit) {

	/** The default largest key: 512 bytes of UTF-8. */
	public static final int DEFAULT_MAX_KEY_SIZE = 512;

	/** The default largest value: 25 MiB. */
	public static final int DEFAULT_MAX_VALUE_SIZE = 25 * 1024 * 1024;

	/** The default largest metadata: 1024 bytes of compact JSON. */
	public static final int DEFAULT_MAX_METADATA_SIZE = 1024;

	/** The default shortest expiration: 60 seconds. */
	public static final Duration DEFAULT_MIN_TTL = Duration.ofSeconds(60);

	/** The default and largest page size of a list. */
	public static final int DEFAULT_MAX_LIST_LIMIT = 1000;

	/** No expiration may lie beyond the end of year 9999: epoch second 253402300799. */
	public static final long MAX_EXPIRATION_EPOCH_SECOND = 253402300799L;

	/** The largest value any store may allow: 512 MB, Redis' own limit for one string. */
	static final int REDIS_MAX_STRING_SIZE = 512 * 1024 * 1024;

	/**
	 * Checks the settings.
	 * @throws IllegalArgumentException naming the setting, its limit and the value given
	 */
	public KvStoreSettings {
		if (keyPrefix == null || keyPrefix.isEmpty()) {
			throw new IllegalArgumentException("'keyPrefix' must not be empty, was " + quote(keyPrefix));
		}
		KvLimits.requireValidUnicode("keyPrefix", keyPrefix);
		checkHashTag(keyPrefix);
		if (maxKeySize < 1 || maxKeySize > 65536) {
			throw new IllegalArgumentException("'maxKeySize' must be between 1 and 65536 bytes, was " + maxKeySize);
		}
		if (maxValueSize < 0 || maxValueSize > REDIS_MAX_STRING_SIZE) {
			throw new IllegalArgumentException(
					"'maxValueSize' must be between 0 and " + REDIS_MAX_STRING_SIZE + " bytes, was " + maxValueSize);
		}
		if (maxMetadataSize < 0 || maxMetadataSize > REDIS_MAX_STRING_SIZE) {
			throw new IllegalArgumentException("'maxMetadataSize' must be between 0 and " + REDIS_MAX_STRING_SIZE
					+ " bytes, was " + maxMetadataSize);
		}
		if (minTtl == null || minTtl.compareTo(Duration.ofSeconds(1)) < 0 || minTtl.getNano() != 0) {
			throw new IllegalArgumentException(
					"'minTtl' must be a whole number of seconds, at least 1 second, was " + minTtl);
		}
		if (defaultTtl != null && (defaultTtl.compareTo(minTtl) < 0 || defaultTtl.getNano() != 0)) {
			throw new IllegalArgumentException("'defaultTtl' must be a whole number of seconds, at least the minimum TTL ("
					+ minTtl.getSeconds() + " s), was " + defaultTtl);
		}
		if (defaultTtl != null && defaultTtl.getSeconds() > MAX_EXPIRATION_EPOCH_SECOND) {
			throw new IllegalArgumentException("'defaultTtl' must be at most " + MAX_EXPIRATION_EPOCH_SECOND
					+ " seconds, was " + defaultTtl);
		}
		if (maxListLimit < 1 || maxListLimit > 100_000) {
			throw new IllegalArgumentException("'maxListLimit' must be between 1 and 100000, was " + maxListLimit);
		}
	}

	/**
	 * The settings of the contract, with the key prefix {@code kv:<store>:}.
	 * @param storeName the store name
	 * @return the default settings
	 */
	public static KvStoreSettings defaults(String storeName) {
		return new KvStoreSettings(defaultKeyPrefix(storeName), null, DEFAULT_MAX_KEY_SIZE, DEFAULT_MAX_VALUE_SIZE,
				DEFAULT_MAX_METADATA_SIZE, DEFAULT_MIN_TTL, DEFAULT_MAX_LIST_LIMIT);
	}

	/**
	 * The default key prefix of a store.
	 * @param storeName the store name
	 * @return {@code kv:<store>:}
	 */
	public static String defaultKeyPrefix(String storeName) {
		return "kv:" + storeName + ":";
	}

	/**
	 * A copy with another key prefix.
	 * @param keyPrefix the key prefix
	 * @return the new settings
	 */
	public KvStoreSettings withKeyPrefix(String keyPrefix) {
		return new KvStoreSettings(keyPrefix, this.defaultTtl, this.maxKeySize, this.maxValueSize,
				this.maxMetadataSize, this.minTtl, this.maxListLimit);
	}

	/**
	 * A copy with another minimum TTL.
	 * @param minTtl the minimum TTL
	 * @return the new settings
	 */
	public KvStoreSettings withMinTtl(Duration minTtl) {
		return new KvStoreSettings(this.keyPrefix, this.defaultTtl, this.maxKeySize, this.maxValueSize,
				this.maxMetadataSize, minTtl, this.maxListLimit);
	}

	/**
	 * A copy with another default TTL.
	 * @param defaultTtl the default TTL, or {@code null} for none
	 * @return the new settings
	 */
	public KvStoreSettings withDefaultTtl(@Nullable Duration defaultTtl) {
		return new KvStoreSettings(this.keyPrefix, defaultTtl, this.maxKeySize, this.maxValueSize,
				this.maxMetadataSize, this.minTtl, this.maxListLimit);
	}

	/**
	 * A copy with another largest value.
	 * @param maxValueSize the largest value in bytes
	 * @return the new settings
	 */
	public KvStoreSettings withMaxValueSize(int maxValueSize) {
		return new KvStoreSettings(this.keyPrefix, this.defaultTtl, this.maxKeySize, maxValueSize,
				this.maxMetadataSize, this.minTtl, this.maxListLimit);
	}

	// Every key of one entry must hash to the same Redis Cluster slot. That holds when the
	// prefix has no braces (the slot is then chosen per entry) or when its first '{' opens a
	// complete, non-empty hash tag (every key of the store then shares that slot).
	private static void checkHashTag(String keyPrefix) {
		int open = keyPrefix.indexOf('{');
		if (open < 0) {
			return;
		}
		int close = keyPrefix.indexOf('}', open + 1);
		if (close < 0 || close == open + 1) {
			throw new IllegalArgumentException("'keyPrefix' may only hold braces as one complete Redis Cluster hash tag"
					+ " such as '{name}', was " + quote(keyPrefix));
		}
	}

	private static String quote(@Nullable String value) {
		return (value != null) ? "'" + value + "'" : "null";
	}

}
