package io.kvstore.core;

import java.time.Duration;

/**
 * The near cache of one store (off unless a store enables it): how many entries it keeps,
 * how long a read may be answered from it by default, and the largest value it keeps.
 *
 * @param maxEntries the most entries kept, at least 1
 * @param ttl how long after Redis answered a read without its own {@code cacheTtl} may be
 * answered from the near cache; whole seconds, at least the store's minimum cache TTL
 * @param maxValueSize the largest value kept, in bytes, at most one chunk (1 MiB); larger
 * values are read from Redis ({@code BYPASS})
 */
public record KvNearCacheSettings(int maxEntries, Duration ttl, int maxValueSize) {

	/** The default most entries: 10000. */
	public static final int DEFAULT_MAX_ENTRIES = 10_000;

	/** The default TTL: 60 seconds. */
	public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

	/** The default largest value: 64 KiB. */
	public static final int DEFAULT_MAX_VALUE_SIZE = 64 * 1024;

	/** The largest value a near cache may keep: one chunk of the Redis layout, 1 MiB. */
	public static final int MAX_MAX_VALUE_SIZE = 1024 * 1024;

	/** The most entries a near cache may keep. */
	public static final int MAX_MAX_ENTRIES = 100_000_000;

	/**
	 * Checks the settings.
	 * @param maxEntries the most entries kept, 1 to {@link #MAX_MAX_ENTRIES}
	 * @param ttl the default TTL, whole seconds, at least one second
	 * @param maxValueSize the largest value kept in bytes, 0 to
	 * {@link #MAX_MAX_VALUE_SIZE}
	 * @throws KvSettingException naming the setting ({@code nearCache.maxEntries},
	 * {@code nearCache.ttl} or {@code nearCache.maxValueSize}), its limit and the value
	 * given
	 */
	public KvNearCacheSettings {
		checkRange("nearCache.maxEntries", maxEntries, 1, MAX_MAX_ENTRIES, "");
		if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.getNano() != 0) {
			throw new KvSettingException("nearCache.ttl", "'nearCache.ttl' must be a whole number of seconds, at least "
					+ "1 second, was " + ((ttl != null) ? ttl : "null"));
		}
		checkRange("nearCache.maxValueSize", maxValueSize, 0, MAX_MAX_VALUE_SIZE, " bytes");
	}

	/**
	 * The defaults of the contract.
	 * @return 10000 entries, 60 seconds, 64 KiB
	 */
	public static KvNearCacheSettings defaults() {
		return new KvNearCacheSettings(DEFAULT_MAX_ENTRIES, DEFAULT_TTL, DEFAULT_MAX_VALUE_SIZE);
	}

	/**
	 * Settings from values as configuration gives them, each checked before it is
	 * narrowed, the TTL also against the store's minimum cache TTL.
	 * @param maxEntries the most entries
	 * @param ttl the default TTL
	 * @param maxValueSize the largest value in bytes
	 * @param minCacheTtl the store's minimum cache TTL
	 * @return the settings
	 * @throws KvSettingException naming the setting, its limit and the value given
	 */
	public static KvNearCacheSettings of(long maxEntries, Duration ttl, long maxValueSize, Duration minCacheTtl) {
		checkRange("nearCache.maxEntries", maxEntries, 1, MAX_MAX_ENTRIES, "");
		checkRange("nearCache.maxValueSize", maxValueSize, 0, MAX_MAX_VALUE_SIZE, " bytes");
		if (ttl != null && ttl.getNano() == 0 && ttl.compareTo(minCacheTtl) < 0) {
			throw new KvSettingException("nearCache.ttl", "'nearCache.ttl' must be at least the minimum cache TTL ("
					+ minCacheTtl.getSeconds() + " seconds, min-cache-ttl), was " + ttl.getSeconds() + " seconds");
		}
		return new KvNearCacheSettings((int) maxEntries, ttl, (int) maxValueSize);
	}

	private static void checkRange(String setting, long value, long min, long max, String unit) {
		if (value < min || value > max) {
			throw new KvSettingException(setting,
					"'" + setting + "' must be between " + min + " and " + max + unit + ", was " + value + unit);
		}
	}

}
