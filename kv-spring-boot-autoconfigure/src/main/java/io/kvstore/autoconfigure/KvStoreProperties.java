package io.kvstore.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * The settings of one store, under {@code kv.stores.<name>}; each unset setting takes the
 * value of the setting of the same name under {@code kv.*}. IDEs complete
 * {@code kv.stores.<name>.*} from this type (the metadata gives {@code kv.stores} as a
 * map of it) and show the comments of its fields, which name each default.
 * <p>
 * The values of {@link KvProperties#getStores()}.
 */
public class KvStoreProperties {

	/**
	 * Where this store keeps its entries: 'redis' (the application's Redis) or 'memory'
	 * (the application's heap). Unset: 'kv.backend' (default: redis).
	 */
	private @Nullable KvBackend backend;

	/**
	 * Prefix of every Redis key of this store. Unset: 'kv.key-prefix', the store name and
	 * ':' (default: {@code kv:<name>:}, such as 'kv:sessions:'). It may hold one complete
	 * Redis Cluster hash tag such as '{sessions}' (every key of the store then shares one
	 * slot) but no other braces, and must not start another store's prefix.
	 */
	private @Nullable String keyPrefix;

	/**
	 * How long an entry put without expiration lives in this store; whole seconds, at
	 * least 'min-ttl'. Unset: 'kv.default-ttl' (default: none, such entries never
	 * expire).
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration defaultTtl;

	/**
	 * Largest key of this store, in bytes of UTF-8 (1B to 64KB). Unset: 'kv.max-key-size'
	 * (default: 512B).
	 */
	@DataSizeUnit(DataUnit.BYTES)
	private @Nullable DataSize maxKeySize;

	/**
	 * Largest value of this store (0B to 512MB). Unset: 'kv.max-value-size' (default:
	 * 25MB).
	 */
	@DataSizeUnit(DataUnit.BYTES)
	private @Nullable DataSize maxValueSize;

	/**
	 * Largest metadata of this store, in bytes of compact UTF-8 JSON. Unset:
	 * 'kv.max-metadata-size' (default: 1KB).
	 */
	@DataSizeUnit(DataUnit.BYTES)
	private @Nullable DataSize maxMetadataSize;

	/**
	 * Shortest expiration a put to this store may ask for; whole seconds, at least one
	 * second. Unset: 'kv.min-ttl' (default: 60s).
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration minTtl;

	/**
	 * Largest page a list of this store may ask for, and its page size when a list gives
	 * no limit (1 to 100000). Unset: 'kv.max-list-limit' (default: 1000).
	 */
	private @Nullable Integer maxListLimit;

	/**
	 * Shortest cacheTtl a read of this store may ask for; whole seconds, at least one
	 * second. Unset: 'kv.min-cache-ttl' (default: 30s).
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration minCacheTtl;

	/**
	 * The near cache of this store: 'near-cache.enabled', 'near-cache.max-entries',
	 * 'near-cache.ttl' and 'near-cache.max-value-size', each taking the setting under
	 * 'kv.near-cache.*' when unset.
	 */
	private final KvStoreNearCacheProperties nearCache = new KvStoreNearCacheProperties();

	/**
	 * How this store uses Redis: 'redis.replicas-to-wait' and 'redis.wait-timeout', each
	 * taking the setting under 'kv.redis.*' when unset.
	 */
	private final KvStoreRedisProperties redis = new KvStoreRedisProperties();

	/**
	 * The near cache of this store.
	 * @return the near cache of this store
	 */
	public KvStoreNearCacheProperties getNearCache() {
		return this.nearCache;
	}

	/**
	 * How this store uses Redis.
	 * @return how this store uses Redis
	 */
	public KvStoreRedisProperties getRedis() {
		return this.redis;
	}

	/**
	 * This store's shortest cacheTtl, or {@code null} for {@code kv.min-cache-ttl}.
	 * @return this store's shortest cacheTtl, or {@code null} for
	 * {@code kv.min-cache-ttl}
	 */
	public @Nullable Duration getMinCacheTtl() {
		return this.minCacheTtl;
	}

	/**
	 * Sets this store's shortest cacheTtl.
	 * @param minCacheTtl this store's shortest cacheTtl, or {@code null} for
	 * {@code kv.min-cache-ttl}
	 */
	public void setMinCacheTtl(@Nullable Duration minCacheTtl) {
		this.minCacheTtl = minCacheTtl;
	}

	/**
	 * This store's backend, or {@code null} for {@code kv.backend}.
	 * @return this store's backend, or {@code null} for {@code kv.backend}
	 */
	public @Nullable KvBackend getBackend() {
		return this.backend;
	}

	/**
	 * Sets this store's backend.
	 * @param backend the backend, or {@code null} for {@code kv.backend}
	 */
	public void setBackend(@Nullable KvBackend backend) {
		this.backend = backend;
	}

	/**
	 * This store's whole key prefix, or {@code null} for the default.
	 * @return this store's whole key prefix, or {@code null} for the default
	 */
	public @Nullable String getKeyPrefix() {
		return this.keyPrefix;
	}

	/**
	 * Sets this store's whole key prefix.
	 * @param keyPrefix the key prefix, or {@code null} for the default
	 */
	public void setKeyPrefix(@Nullable String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	/**
	 * This store's default TTL, or {@code null} for {@code kv.default-ttl}.
	 * @return this store's default TTL, or {@code null} for {@code kv.default-ttl}
	 */
	public @Nullable Duration getDefaultTtl() {
		return this.defaultTtl;
	}

	/**
	 * Sets this store's default TTL.
	 * @param defaultTtl the default TTL, or {@code null} for {@code kv.default-ttl}
	 */
	public void setDefaultTtl(@Nullable Duration defaultTtl) {
		this.defaultTtl = defaultTtl;
	}

	/**
	 * This store's largest key, or {@code null} for {@code kv.max-key-size}.
	 * @return this store's largest key, or {@code null} for {@code kv.max-key-size}
	 */
	public @Nullable DataSize getMaxKeySize() {
		return this.maxKeySize;
	}

	/**
	 * Sets this store's largest key.
	 * @param maxKeySize the largest key, or {@code null} for {@code kv.max-key-size}
	 */
	public void setMaxKeySize(@Nullable DataSize maxKeySize) {
		this.maxKeySize = maxKeySize;
	}

	/**
	 * This store's largest value, or {@code null} for {@code kv.max-value-size}.
	 * @return this store's largest value, or {@code null} for {@code kv.max-value-size}
	 */
	public @Nullable DataSize getMaxValueSize() {
		return this.maxValueSize;
	}

	/**
	 * Sets this store's largest value.
	 * @param maxValueSize the largest value, or {@code null} for
	 * {@code kv.max-value-size}
	 */
	public void setMaxValueSize(@Nullable DataSize maxValueSize) {
		this.maxValueSize = maxValueSize;
	}

	/**
	 * This store's largest metadata, or {@code null} for {@code kv.max-metadata-size}.
	 * @return this store's largest metadata, or {@code null} for
	 * {@code kv.max-metadata-size}
	 */
	public @Nullable DataSize getMaxMetadataSize() {
		return this.maxMetadataSize;
	}

	/**
	 * Sets this store's largest metadata.
	 * @param maxMetadataSize the largest metadata, or {@code null} for
	 * {@code kv.max-metadata-size}
	 */
	public void setMaxMetadataSize(@Nullable DataSize maxMetadataSize) {
		this.maxMetadataSize = maxMetadataSize;
	}

	/**
	 * This store's shortest expiration, or {@code null} for {@code kv.min-ttl}.
	 * @return this store's shortest expiration, or {@code null} for {@code kv.min-ttl}
	 */
	public @Nullable Duration getMinTtl() {
		return this.minTtl;
	}

	/**
	 * Sets this store's shortest expiration.
	 * @param minTtl the shortest expiration, or {@code null} for {@code kv.min-ttl}
	 */
	public void setMinTtl(@Nullable Duration minTtl) {
		this.minTtl = minTtl;
	}

	/**
	 * This store's largest list page, or {@code null} for {@code kv.max-list-limit}.
	 * @return this store's largest list page, or {@code null} for
	 * {@code kv.max-list-limit}
	 */
	public @Nullable Integer getMaxListLimit() {
		return this.maxListLimit;
	}

	/**
	 * Sets this store's largest list page.
	 * @param maxListLimit the largest list page, or {@code null} for
	 * {@code kv.max-list-limit}
	 */
	public void setMaxListLimit(@Nullable Integer maxListLimit) {
		this.maxListLimit = maxListLimit;
	}

}
