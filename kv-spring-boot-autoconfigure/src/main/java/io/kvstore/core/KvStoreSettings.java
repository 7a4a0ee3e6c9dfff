package io.kvstore.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The settings of one store. Every limit has the default that the KV contract states; a
 * store may raise or lower them.
 *
 * @param keyPrefix the prefix of every Redis key of the store, {@code kv:<store>:} by
 * default; it may hold one complete Redis Cluster hash tag (such as {@code {sessions}})
 * but no other braces
 * @param defaultTtl how long an entry put without expiration lives; {@code null} for no
 * limit
 * @param maxKeySize the largest key, in UTF-8 bytes
 * @param maxValueSize the largest value, in bytes
 * @param maxMetadataSize the largest metadata, in bytes of compact UTF-8 JSON
 * @param minTtl the shortest expiration a put may ask for, whole seconds, at least one
 * second
 * @param maxListLimit the largest page a list may ask for
 * @param minCacheTtl the shortest {@code cacheTtl} a read may ask for, whole seconds, at
 * least one second
 */
public record KvStoreSettings(String keyPrefix, @Nullable Duration defaultTtl, int maxKeySize, int maxValueSize,
		int maxMetadataSize, Duration minTtl, int maxListLimit, Duration minCacheTtl) {

	/** The default largest key: 512 bytes of UTF-8. */
	public static final int DEFAULT_MAX_KEY_SIZE = 512;

	/** The default largest value: 25 MiB. */
	public static final int DEFAULT_MAX_VALUE_SIZE = 25 * 1024 * 1024;

	/** The default largest metadata: 1024 bytes of compact JSON. */
	public static final int DEFAULT_MAX_METADATA_SIZE = 1024;

	/** The default shortest expiration: 60 seconds. */
	public static final Duration DEFAULT_MIN_TTL = Duration.ofSeconds(60);

	/** The default shortest cache TTL of a read: 30 seconds. */
	public static final Duration DEFAULT_MIN_CACHE_TTL = Duration.ofSeconds(30);

	/** The default and largest page size of a list. */
	public static final int DEFAULT_MAX_LIST_LIMIT = 1000;

	/** No expiration may lie beyond the end of year 9999: epoch second 253402300799. */
	public static final long MAX_EXPIRATION_EPOCH_SECOND = 253402300799L;

	/**
	 * The largest value any store may allow: 512 MiB, Redis' own limit for one string.
	 */
	public static final int REDIS_MAX_STRING_SIZE = 512 * 1024 * 1024;

	/** The largest key any store may allow: 64 KiB. */
	public static final int MAX_MAX_KEY_SIZE = 64 * 1024;

	/** The largest list page any store may allow. */
	public static final int MAX_MAX_LIST_LIMIT = 100_000;

	/**
	 * Checks the settings, each against the one rule that this record states for it.
	 * @param keyPrefix the prefix of every Redis key of the store: not empty, valid
	 * Unicode, with braces only as one complete hash tag
	 * @param defaultTtl how long an entry put without expiration lives, {@code null} for
	 * no limit; whole seconds, at least {@code minTtl}
	 * @param maxKeySize the largest key in UTF-8 bytes, 1 to {@link #MAX_MAX_KEY_SIZE}
	 * @param maxValueSize the largest value in bytes, 0 to {@link #REDIS_MAX_STRING_SIZE}
	 * @param maxMetadataSize the largest metadata in bytes, 0 to
	 * {@link #REDIS_MAX_STRING_SIZE}
	 * @param minTtl the shortest expiration, whole seconds, at least one second
	 * @param maxListLimit the largest list page, 1 to {@link #MAX_MAX_LIST_LIMIT}
	 * @param minCacheTtl the shortest {@code cacheTtl} a read may ask for, whole seconds,
	 * at least one second
	 * @throws KvSettingException naming the setting, its limit and the value given
	 */
	public KvStoreSettings {
		checkKeyPrefix(keyPrefix);
		checkRange("maxKeySize", maxKeySize, 1, MAX_MAX_KEY_SIZE, " bytes");
		checkRange("maxValueSize", maxValueSize, 0, REDIS_MAX_STRING_SIZE, " bytes");
		checkRange("maxMetadataSize", maxMetadataSize, 0, REDIS_MAX_STRING_SIZE, " bytes");
		if (minTtl == null || minTtl.compareTo(Duration.ofSeconds(1)) < 0 || minTtl.getNano() != 0) {
			throw new KvSettingException("minTtl",
					"'minTtl' must be a whole number of seconds, at least 1 second, was " + seconds(minTtl));
		}
		if (defaultTtl != null && (defaultTtl.compareTo(minTtl) < 0 || defaultTtl.getNano() != 0)) {
			throw new KvSettingException("defaultTtl", "'defaultTtl' must be a whole number of seconds, at least the "
					+ "minimum TTL (" + minTtl.getSeconds() + " seconds), was " + seconds(defaultTtl));
		}
		if (defaultTtl != null && defaultTtl.getSeconds() > MAX_EXPIRATION_EPOCH_SECOND) {
			throw new KvSettingException("defaultTtl", "'defaultTtl' must be at most " + MAX_EXPIRATION_EPOCH_SECOND
					+ " seconds, was " + seconds(defaultTtl));
		}
		checkRange("maxListLimit", maxListLimit, 1, MAX_MAX_LIST_LIMIT, "");
		if (minCacheTtl == null || minCacheTtl.compareTo(Duration.ofSeconds(1)) < 0 || minCacheTtl.getNano() != 0) {
			throw new KvSettingException("minCacheTtl",
					"'minCacheTtl' must be a whole number of seconds, at least 1 second, was " + seconds(minCacheTtl));
		}
	}

	/**
	 * Settings with the default minimum cache TTL.
	 * @param keyPrefix the key prefix
	 * @param defaultTtl the default TTL, or {@code null} for none
	 * @param maxKeySize the largest key in bytes
	 * @param maxValueSize the largest value in bytes
	 * @param maxMetadataSize the largest metadata in bytes
	 * @param minTtl the minimum TTL
	 * @param maxListLimit the largest list page
	 */
	public KvStoreSettings(String keyPrefix, @Nullable Duration defaultTtl, int maxKeySize, int maxValueSize,
			int maxMetadataSize, Duration minTtl, int maxListLimit) {
		this(keyPrefix, defaultTtl, maxKeySize, maxValueSize, maxMetadataSize, minTtl, maxListLimit,
				DEFAULT_MIN_CACHE_TTL);
	}

	/**
	 * Settings from sizes given as {@code long} (as configuration gives them), each
	 * checked against its range before it is narrowed.
	 * @param keyPrefix the key prefix
	 * @param defaultTtl the default TTL, or {@code null} for none
	 * @param maxKeySize the largest key in bytes
	 * @param maxValueSize the largest value in bytes
	 * @param maxMetadataSize the largest metadata in bytes
	 * @param minTtl the minimum TTL
	 * @param maxListLimit the largest list page
	 * @param minCacheTtl the minimum cache TTL
	 * @return the settings
	 * @throws KvSettingException naming the setting, its limit and the value given
	 */
	public static KvStoreSettings of(String keyPrefix, @Nullable Duration defaultTtl, long maxKeySize,
			long maxValueSize, long maxMetadataSize, Duration minTtl, long maxListLimit, Duration minCacheTtl) {
		checkRange("maxKeySize", maxKeySize, 1, MAX_MAX_KEY_SIZE, " bytes");
		checkRange("maxValueSize", maxValueSize, 0, REDIS_MAX_STRING_SIZE, " bytes");
		checkRange("maxMetadataSize", maxMetadataSize, 0, REDIS_MAX_STRING_SIZE, " bytes");
		checkRange("maxListLimit", maxListLimit, 1, MAX_MAX_LIST_LIMIT, "");
		return new KvStoreSettings(keyPrefix, defaultTtl, (int) maxKeySize, (int) maxValueSize, (int) maxMetadataSize,
				minTtl, (int) maxListLimit, minCacheTtl);
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
		return new KvStoreSettings(keyPrefix, this.defaultTtl, this.maxKeySize, this.maxValueSize, this.maxMetadataSize,
				this.minTtl, this.maxListLimit, this.minCacheTtl);
	}

	/**
	 * A copy with another minimum cache TTL.
	 * @param minCacheTtl the minimum cache TTL
	 * @return the new settings
	 */
	public KvStoreSettings withMinCacheTtl(Duration minCacheTtl) {
		return new KvStoreSettings(this.keyPrefix, this.defaultTtl, this.maxKeySize, this.maxValueSize,
				this.maxMetadataSize, this.minTtl, this.maxListLimit, minCacheTtl);
	}

	/**
	 * A copy with another minimum TTL.
	 * @param minTtl the minimum TTL
	 * @return the new settings
	 */
	public KvStoreSettings withMinTtl(Duration minTtl) {
		return new KvStoreSettings(this.keyPrefix, this.defaultTtl, this.maxKeySize, this.maxValueSize,
				this.maxMetadataSize, minTtl, this.maxListLimit, this.minCacheTtl);
	}

	/**
	 * A copy with another default TTL.
	 * @param defaultTtl the default TTL, or {@code null} for none
	 * @return the new settings
	 */
	public KvStoreSettings withDefaultTtl(@Nullable Duration defaultTtl) {
		return new KvStoreSettings(this.keyPrefix, defaultTtl, this.maxKeySize, this.maxValueSize, this.maxMetadataSize,
				this.minTtl, this.maxListLimit, this.minCacheTtl);
	}

	/**
	 * A copy with another largest value.
	 * @param maxValueSize the largest value in bytes
	 * @return the new settings
	 */
	public KvStoreSettings withMaxValueSize(int maxValueSize) {
		return new KvStoreSettings(this.keyPrefix, this.defaultTtl, this.maxKeySize, maxValueSize, this.maxMetadataSize,
				this.minTtl, this.maxListLimit, this.minCacheTtl);
	}

	private static void checkRange(String setting, long value, long min, long max, String unit) {
		if (value < min || value > max) {
			throw new KvSettingException(setting,
					"'" + setting + "' must be between " + min + " and " + max + unit + ", was " + value + unit);
		}
	}

	// Every key of one entry must hash to the same Redis Cluster slot. That holds when
	// the prefix has no braces (the slot is then chosen per entry) or when its first '{'
	// opens a complete, non-empty hash tag (every key of the store then shares that
	// slot).
	private static void checkKeyPrefix(@Nullable String keyPrefix) {
		if (keyPrefix == null || keyPrefix.isEmpty()) {
			throw new KvSettingException("keyPrefix", "'keyPrefix' must not be empty (the store would share the whole "
					+ "keyspace with everything else in it), was " + quote(keyPrefix));
		}
		try {
			KvChecks.requireValidUnicode("keyPrefix", keyPrefix);
		}
		catch (IllegalArgumentException ex) {
			throw new KvSettingException("keyPrefix", String.valueOf(ex.getMessage()));
		}
		int open = keyPrefix.indexOf('{');
		if (open < 0) {
			return;
		}
		int close = keyPrefix.indexOf('}', open + 1);
		if (close < 0 || close == open + 1) {
			throw new KvSettingException("keyPrefix", "'keyPrefix' may only hold braces as one complete Redis Cluster "
					+ "hash tag such as '{name}', was " + quote(keyPrefix));
		}
	}

	private static String seconds(@Nullable Duration duration) {
		if (duration == null) {
			return "null";
		}
		return (duration.getNano() == 0) ? duration.getSeconds() + " seconds" : duration.toString();
	}

	private static String quote(@Nullable String value) {
		return (value != null) ? "'" + value + "'" : "null";
	}

}
