package io.kvstore.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * The near cache of one store; each unset setting takes the value under
 * {@code kv.near-cache.*}.
 * <p>
 * Bound under {@code kv.stores.<name>.near-cache}
 * ({@link KvStoreProperties#getNearCache()}).
 */
public class KvStoreNearCacheProperties {

	/**
	 * Whether this store keeps reads in the application's memory, invalidated by Redis.
	 * Unset: 'kv.near-cache.enabled' (default: false).
	 */
	private @Nullable Boolean enabled;

	/**
	 * Most entries this store's near cache keeps. Unset: 'kv.near-cache.max-entries'
	 * (default: 10000).
	 */
	private @Nullable Integer maxEntries;

	/**
	 * How long after Redis answered a read of this store the near cache may answer it.
	 * Unset: 'kv.near-cache.ttl' (default: 60s).
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration ttl;

	/**
	 * Largest value this store's near cache keeps, at most 1MB. Unset:
	 * 'kv.near-cache.max-value-size' (default: 64KB).
	 */
	@DataSizeUnit(DataUnit.BYTES)
	private @Nullable DataSize maxValueSize;

	/**
	 * Whether this store keeps reads in a near cache, or {@code null} for
	 * {@code kv.near-cache.enabled}.
	 * @return whether this store keeps reads in a near cache, or {@code null} for
	 * {@code kv.near-cache.enabled}
	 */
	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	/**
	 * Sets whether this store keeps reads in a near cache.
	 * @param enabled whether this store keeps reads in a near cache, or {@code null} for
	 * {@code kv.near-cache.enabled}
	 */
	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * The most entries this store's near cache keeps, or {@code null} for
	 * {@code kv.near-cache.max-entries}.
	 * @return the most entries this store's near cache keeps, or {@code null} for
	 * {@code kv.near-cache.max-entries}
	 */
	public @Nullable Integer getMaxEntries() {
		return this.maxEntries;
	}

	/**
	 * Sets the most entries this store's near cache keeps.
	 * @param maxEntries the most entries this store's near cache keeps, or {@code null}
	 * for {@code kv.near-cache.max-entries}
	 */
	public void setMaxEntries(@Nullable Integer maxEntries) {
		this.maxEntries = maxEntries;
	}

	/**
	 * How long this store's near cache may answer a read, or {@code null} for
	 * {@code kv.near-cache.ttl}.
	 * @return how long this store's near cache may answer a read, or {@code null} for
	 * {@code kv.near-cache.ttl}
	 */
	public @Nullable Duration getTtl() {
		return this.ttl;
	}

	/**
	 * Sets how long this store's near cache may answer a read.
	 * @param ttl how long this store's near cache may answer a read, or {@code null} for
	 * {@code kv.near-cache.ttl}
	 */
	public void setTtl(@Nullable Duration ttl) {
		this.ttl = ttl;
	}

	/**
	 * The largest value this store's near cache keeps, or {@code null} for
	 * {@code kv.near-cache.max-value-size}.
	 * @return the largest value this store's near cache keeps, or {@code null} for
	 * {@code kv.near-cache.max-value-size}
	 */
	public @Nullable DataSize getMaxValueSize() {
		return this.maxValueSize;
	}

	/**
	 * Sets the largest value this store's near cache keeps.
	 * @param maxValueSize the largest value this store's near cache keeps, or
	 * {@code null} for {@code kv.near-cache.max-value-size}
	 */
	public void setMaxValueSize(@Nullable DataSize maxValueSize) {
		this.maxValueSize = maxValueSize;
	}

}
