package io.kvstore.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.kvstore.core.KvNearCacheSettings;

import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * The near cache of the stores on Redis: reads kept in the application's memory,
 * invalidated by Redis (client-side caching).
 * <p>
 * Bound under {@code kv.near-cache} ({@link KvProperties#getNearCache()}).
 */
public class KvNearCacheProperties {

	/**
	 * Whether stores on Redis keep reads in the application's memory (Caffeine, which
	 * must be on the class path), invalidated by Redis when a key changes.
	 */
	private boolean enabled;

	/**
	 * Most entries a store's near cache keeps.
	 */
	private int maxEntries = KvNearCacheSettings.DEFAULT_MAX_ENTRIES;

	/**
	 * How long after Redis answered a read the near cache may answer it, for reads
	 * without their own cacheTtl. Whole seconds, at least 'min-cache-ttl'.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration ttl = KvNearCacheSettings.DEFAULT_TTL;

	/**
	 * Largest value the near cache keeps, at most 1MB; larger values are read from Redis
	 * (cacheStatus BYPASS).
	 */
	@DataSizeUnit(DataUnit.BYTES)
	private DataSize maxValueSize = DataSize.ofBytes(KvNearCacheSettings.DEFAULT_MAX_VALUE_SIZE);

	/**
	 * Whether stores on Redis keep reads in a near cache.
	 * @return whether stores on Redis keep reads in a near cache
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Sets whether stores on Redis keep reads in a near cache.
	 * @param enabled whether stores on Redis keep reads in a near cache
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * The most entries a store's near cache keeps.
	 * @return the most entries a store's near cache keeps
	 */
	public int getMaxEntries() {
		return this.maxEntries;
	}

	/**
	 * Sets the most entries a store's near cache keeps.
	 * @param maxEntries the most entries a store's near cache keeps
	 */
	public void setMaxEntries(int maxEntries) {
		this.maxEntries = maxEntries;
	}

	/**
	 * How long after Redis answered a read the near cache may answer it.
	 * @return how long after Redis answered a read the near cache may answer it
	 */
	public Duration getTtl() {
		return this.ttl;
	}

	/**
	 * Sets how long after Redis answered a read the near cache may answer it.
	 * @param ttl how long after Redis answered a read the near cache may answer it
	 */
	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	/**
	 * The largest value the near cache keeps.
	 * @return the largest value the near cache keeps
	 */
	public DataSize getMaxValueSize() {
		return this.maxValueSize;
	}

	/**
	 * Sets the largest value the near cache keeps.
	 * @param maxValueSize the largest value the near cache keeps
	 */
	public void setMaxValueSize(DataSize maxValueSize) {
		this.maxValueSize = maxValueSize;
	}

}
