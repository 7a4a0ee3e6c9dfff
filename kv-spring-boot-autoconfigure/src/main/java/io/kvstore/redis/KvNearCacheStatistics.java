package io.kvstore.redis;

/**
 * What the near cache of one store counted since the store was made, read live: the
 * auto-configuration makes Micrometer meters of it ({@code kv.near-cache.*}) and shows
 * {@link #isConnected()} in the store's health.
 * <p>
 * Each key a read asks for counts once (a bulk read of three keys counts three), as the
 * {@code cacheStatus} it answered with: a hit, a miss (also every read while the
 * invalidation channel is down) or a bypass (a stream, or a value over the near cache's
 * {@code max-value-size}).
 */
public interface KvNearCacheStatistics {

	/**
	 * Reads the near cache answered ({@code HIT}).
	 * @return the count
	 */
	long hitCount();

	/**
	 * Reads Redis answered that the near cache could have kept ({@code MISS}).
	 * @return the count
	 */
	long missCount();

	/**
	 * Reads of what the near cache never keeps ({@code BYPASS}).
	 * @return the count
	 */
	long bypassCount();

	/**
	 * Entries dropped by the near cache itself: by the {@code max-entries} bound, or
	 * because their {@code cacheTtl} or the key's expiry passed. Invalidations are not
	 * counted here.
	 * @return the count
	 */
	long evictionCount();

	/**
	 * Invalidation messages Redis pushed (each may name several keys, or all of them).
	 * @return the count
	 */
	long invalidationCount();

	/**
	 * How many entries the near cache holds now (an estimate, as Caffeine counts them).
	 * @return the number of entries
	 */
	long size();

	/**
	 * Whether the invalidation channel is up and answered its last heartbeat in time, so
	 * that the near cache may answer reads. The first call opens the channel if no read
	 * has yet.
	 * @return whether it is connected
	 */
	boolean isConnected();

}
