package io.kvstore.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvReplicaAckSettings;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RestoreMode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Configuration of KV stores: the stores under {@code kv.stores} and the settings they
 * share. Every store setting can be given for all stores under {@code kv.*} and
 * overridden per store under {@code kv.stores.<name>.*}.
 * <p>
 * The stores are bound by {@link KvStoreDeclarations} while bean definitions are
 * registered (a store may be declared by an empty value, which needs care); this class is
 * also a bean, so that {@code /actuator/configprops} shows the {@code kv.*} properties.
 * The defaults are those of {@link KvStoreSettings}; their text for IDEs is in
 * {@code additional-spring-configuration-metadata.json}.
 */
@ConfigurationProperties("kv")
public class KvProperties {

	/**
	 * The stores, by name. Each store becomes one KvNamespace bean named after the store
	 * (with a camelCase alias). Store names are lowercase letters, digits and '-', start
	 * with a letter and are at most 63 characters long. Declare a store with every
	 * default as 'name: {}' in YAML or 'kv.stores.name=' in properties.
	 */
	private Map<String, Store> stores = new LinkedHashMap<>();

	/**
	 * Where stores keep their entries unless a store sets its own 'backend': 'redis' (the
	 * application's Redis, through its RedisConnectionFactory) or 'memory' (the
	 * application's heap, for tests and local runs; no Redis needed).
	 */
	private KvBackend backend = KvBackend.REDIS;

	/**
	 * Start of every store's key prefix: a store's Redis keys start with this, the store
	 * name and ':' unless the store sets its own 'key-prefix'.
	 */
	private String keyPrefix = "kv:";

	/**
	 * How long an entry put without expiration lives, for every store. Whole seconds, at
	 * least 'min-ttl'. Unset: entries put without expiration never expire.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration defaultTtl;

	/**
	 * Largest key, in bytes of UTF-8.
	 */
	@DataSizeUnit(DataUnit.BYTES)
	private DataSize maxKeySize = DataSize.ofBytes(KvStoreSettings.DEFAULT_MAX_KEY_SIZE);

	/**
	 * Largest value.
	 */
	@DataSizeUnit(DataUnit.BYTES)
	private DataSize maxValueSize = DataSize.ofBytes(KvStoreSettings.DEFAULT_MAX_VALUE_SIZE);

	/**
	 * Largest metadata, in bytes of compact UTF-8 JSON.
	 */
	@DataSizeUnit(DataUnit.BYTES)
	private DataSize maxMetadataSize = DataSize.ofBytes(KvStoreSettings.DEFAULT_MAX_METADATA_SIZE);

	/**
	 * Shortest expiration a put may ask for, whole seconds, at least one second.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration minTtl = KvStoreSettings.DEFAULT_MIN_TTL;

	/**
	 * Largest page a list may ask for, and the page size when a list gives no limit.
	 */
	private int maxListLimit = KvStoreSettings.DEFAULT_MAX_LIST_LIMIT;

	/**
	 * Shortest cacheTtl a read may ask for, whole seconds, at least one second.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration minCacheTtl = KvStoreSettings.DEFAULT_MIN_CACHE_TTL;

	/**
	 * The shortest cacheTtl a read may ask for.
	 * @return the shortest cacheTtl a read may ask for
	 */
	public Duration getMinCacheTtl() {
		return this.minCacheTtl;
	}

	/**
	 * Sets the shortest cacheTtl a read may ask for.
	 * @param minCacheTtl the shortest cacheTtl a read may ask for
	 */
	public void setMinCacheTtl(Duration minCacheTtl) {
		this.minCacheTtl = minCacheTtl;
	}

	/**
	 * How stores on Redis use it.
	 */
	private final Redis redis = new Redis();

	/**
	 * Spring's cache abstraction over the stores.
	 */
	private final Cache cache = new Cache();

	/**
	 * Spring's cache abstraction over the stores.
	 * @return Spring's cache abstraction over the stores
	 */
	public Cache getCache() {
		return this.cache;
	}

	/**
	 * The near cache of every store unless a store sets its own 'near-cache.*'.
	 */
	private final NearCache nearCache = new NearCache();

	/**
	 * The near cache of every store that sets none of its own.
	 * @return the near cache of every store that sets none of its own
	 */
	public NearCache getNearCache() {
		return this.nearCache;
	}

	/**
	 * How stores on Redis use it.
	 * @return how stores on Redis use it
	 */
	public Redis getRedis() {
		return this.redis;
	}

	/**
	 * The declared stores, by name.
	 * @return the declared stores, by name
	 */
	public Map<String, Store> getStores() {
		return this.stores;
	}

	/**
	 * Sets the declared stores, by name.
	 * @param stores the stores, by name
	 */
	public void setStores(Map<String, Store> stores) {
		this.stores = stores;
	}

	/**
	 * Where stores keep their entries unless a store sets its own.
	 * @return where stores keep their entries unless a store sets its own
	 */
	public KvBackend getBackend() {
		return this.backend;
	}

	/**
	 * Sets where stores keep their entries unless a store sets its own.
	 * @param backend the backend of every store that sets none
	 */
	public void setBackend(KvBackend backend) {
		this.backend = backend;
	}

	/**
	 * The start of every store's key prefix.
	 * @return the start of every store's key prefix
	 */
	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	/**
	 * Sets the start of every store's key prefix.
	 * @param keyPrefix the start of every key prefix, such as {@code kv:}
	 */
	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	/**
	 * How long an entry put without expiration lives, or {@code null} when it never
	 * expires.
	 * @return how long an entry put without expiration lives, or {@code null} when it
	 * never expires
	 */
	public @Nullable Duration getDefaultTtl() {
		return this.defaultTtl;
	}

	/**
	 * Sets how long an entry put without expiration lives.
	 * @param defaultTtl the default TTL, or {@code null} for none
	 */
	public void setDefaultTtl(@Nullable Duration defaultTtl) {
		this.defaultTtl = defaultTtl;
	}

	/**
	 * The largest key.
	 * @return the largest key
	 */
	public DataSize getMaxKeySize() {
		return this.maxKeySize;
	}

	/**
	 * Sets the largest key.
	 * @param maxKeySize the largest key
	 */
	public void setMaxKeySize(DataSize maxKeySize) {
		this.maxKeySize = maxKeySize;
	}

	/**
	 * The largest value.
	 * @return the largest value
	 */
	public DataSize getMaxValueSize() {
		return this.maxValueSize;
	}

	/**
	 * Sets the largest value.
	 * @param maxValueSize the largest value
	 */
	public void setMaxValueSize(DataSize maxValueSize) {
		this.maxValueSize = maxValueSize;
	}

	/**
	 * The largest metadata.
	 * @return the largest metadata
	 */
	public DataSize getMaxMetadataSize() {
		return this.maxMetadataSize;
	}

	/**
	 * Sets the largest metadata.
	 * @param maxMetadataSize the largest metadata
	 */
	public void setMaxMetadataSize(DataSize maxMetadataSize) {
		this.maxMetadataSize = maxMetadataSize;
	}

	/**
	 * The shortest expiration a put may ask for.
	 * @return the shortest expiration a put may ask for
	 */
	public Duration getMinTtl() {
		return this.minTtl;
	}

	/**
	 * Sets the shortest expiration a put may ask for.
	 * @param minTtl the shortest expiration
	 */
	public void setMinTtl(Duration minTtl) {
		this.minTtl = minTtl;
	}

	/**
	 * The largest list page.
	 * @return the largest list page
	 */
	public int getMaxListLimit() {
		return this.maxListLimit;
	}

	/**
	 * Sets the largest list page.
	 * @param maxListLimit the largest list page
	 */
	public void setMaxListLimit(int maxListLimit) {
		this.maxListLimit = maxListLimit;
	}

	/**
	 * Spring's cache abstraction over the stores.
	 */
	public static class Cache {

		/**
		 * Whether every declared store is a Spring Cache of the same name (a CacheManager
		 * bean; needs @EnableCaching). Entries live for the store's default-ttl.
		 */
		private boolean enabled;

		/**
		 * Whether null values are cached (as Spring's NullValue); otherwise a null result
		 * is not cached.
		 */
		private boolean cacheNullValues;

		/**
		 * Packages (with their subpackages) whose types cached values may be read back
		 * as, beside the application's own packages (those of @SpringBootApplication) and
		 * the JDK's value types. Reading a type named in stored data is an attack
		 * surface: allow only packages of your own value types.
		 */
		private java.util.List<String> allowedPackages = new java.util.ArrayList<>();

		/**
		 * Whether every declared store is a Spring Cache.
		 * @return whether every declared store is a Spring Cache
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether every declared store is a Spring Cache.
		 * @param enabled whether every declared store is a Spring Cache
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * Whether null values are cached.
		 * @return whether null values are cached
		 */
		public boolean isCacheNullValues() {
			return this.cacheNullValues;
		}

		/**
		 * Sets whether null values are cached.
		 * @param cacheNullValues whether null values are cached
		 */
		public void setCacheNullValues(boolean cacheNullValues) {
			this.cacheNullValues = cacheNullValues;
		}

		/**
		 * The packages, beside the application's, whose types cached values may be read
		 * as.
		 * @return the packages, beside the application's, whose types cached values may
		 * be read as
		 */
		public java.util.List<String> getAllowedPackages() {
			return this.allowedPackages;
		}

		/**
		 * Sets the packages, beside the application's, whose types cached values may be
		 * read as.
		 * @param allowedPackages the packages, beside the application's, whose types
		 * cached values may be read as
		 */
		public void setAllowedPackages(java.util.List<String> allowedPackages) {
			this.allowedPackages = allowedPackages;
		}

	}

	/**
	 * How stores on Redis use it.
	 */
	public static class Redis {

		/**
		 * Whether puts of values up to 16 KiB are one RESTORE each: 'auto' (falls back to
		 * scripts, once and with a warning, when Redis refuses RESTORE) or 'never'
		 * (always scripts; for a Redis whose policy forbids RESTORE, at more Redis time
		 * per put).
		 */
		private RestoreMode restore = RestoreMode.AUTO;

		/**
		 * How many replicas must have each put and delete before it returns (Redis' WAIT,
		 * sent in the same round trip as the write), for every store unless a store sets
		 * its own. 0: a write returns once the master has it, and a failover before it
		 * reached a replica may lose it. Fewer replicas within 'wait-timeout' fail the
		 * call with a DataAccessException (the master has the write). Not supported on
		 * Redis Cluster; ignored by stores in memory.
		 */
		private int replicasToWait = KvReplicaAckSettings.DEFAULT_REPLICAS;

		/**
		 * How long a write waits for 'replicas-to-wait' replicas, whole milliseconds (1ms
		 * to 10m); keep it below spring.data.redis.timeout, as other calls on the shared
		 * connection wait behind it.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private Duration waitTimeout = KvReplicaAckSettings.DEFAULT_TIMEOUT;

		/**
		 * How many replicas must have each write before it returns.
		 * @return how many replicas must have each write before it returns
		 */
		public int getReplicasToWait() {
			return this.replicasToWait;
		}

		/**
		 * Sets how many replicas must have each write before it returns.
		 * @param replicasToWait how many replicas, 0 for none
		 */
		public void setReplicasToWait(int replicasToWait) {
			this.replicasToWait = replicasToWait;
		}

		/**
		 * How long a write waits for its replicas.
		 * @return how long a write waits for its replicas
		 */
		public Duration getWaitTimeout() {
			return this.waitTimeout;
		}

		/**
		 * Sets how long a write waits for its replicas.
		 * @param waitTimeout how long a write waits for its replicas
		 */
		public void setWaitTimeout(Duration waitTimeout) {
			this.waitTimeout = waitTimeout;
		}

		/**
		 * Whether puts use RESTORE.
		 * @return whether puts use RESTORE
		 */
		public RestoreMode getRestore() {
			return this.restore;
		}

		/**
		 * Sets whether puts use RESTORE.
		 * @param restore {@code auto} or {@code never}
		 */
		public void setRestore(RestoreMode restore) {
			this.restore = restore;
		}

	}

	/**
	 * The near cache of the stores on Redis: reads kept in the application's memory,
	 * invalidated by Redis (client-side caching).
	 */
	public static class NearCache {

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
		 * Largest value the near cache keeps, at most 1MB; larger values are read from
		 * Redis (cacheStatus BYPASS).
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

	/**
	 * How one store uses Redis; each unset setting takes the value under
	 * {@code kv.redis.*}.
	 */
	public static class StoreRedis {

		/**
		 * How many replicas must have each put and delete of this store before it returns
		 * (WAIT in the same round trip); fewer within 'wait-timeout' fail the call with a
		 * DataAccessException. Unset: 'kv.redis.replicas-to-wait' (default: 0, a write
		 * returns once the master has it).
		 */
		private @Nullable Integer replicasToWait;

		/**
		 * How long a write of this store waits for its replicas, whole milliseconds.
		 * Unset: 'kv.redis.wait-timeout' (default: 1s).
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private @Nullable Duration waitTimeout;

		/**
		 * How many replicas must have each write of this store, or {@code null} for
		 * {@code kv.redis.replicas-to-wait}.
		 * @return how many replicas must have each write of this store, or {@code null}
		 * for {@code kv.redis.replicas-to-wait}
		 */
		public @Nullable Integer getReplicasToWait() {
			return this.replicasToWait;
		}

		/**
		 * Sets how many replicas must have each write of this store.
		 * @param replicasToWait how many replicas, or {@code null} for
		 * {@code kv.redis.replicas-to-wait}
		 */
		public void setReplicasToWait(@Nullable Integer replicasToWait) {
			this.replicasToWait = replicasToWait;
		}

		/**
		 * How long a write of this store waits for its replicas, or {@code null} for
		 * {@code kv.redis.wait-timeout}.
		 * @return how long a write of this store waits for its replicas, or {@code null}
		 * for {@code kv.redis.wait-timeout}
		 */
		public @Nullable Duration getWaitTimeout() {
			return this.waitTimeout;
		}

		/**
		 * Sets how long a write of this store waits for its replicas.
		 * @param waitTimeout how long, or {@code null} for {@code kv.redis.wait-timeout}
		 */
		public void setWaitTimeout(@Nullable Duration waitTimeout) {
			this.waitTimeout = waitTimeout;
		}

	}

	/**
	 * The near cache of one store; each unset setting takes the value under
	 * {@code kv.near-cache.*}.
	 */
	public static class StoreNearCache {

		/**
		 * Whether this store keeps reads in the application's memory, invalidated by
		 * Redis. Unset: 'kv.near-cache.enabled' (default: false).
		 */
		private @Nullable Boolean enabled;

		/**
		 * Most entries this store's near cache keeps. Unset: 'kv.near-cache.max-entries'
		 * (default: 10000).
		 */
		private @Nullable Integer maxEntries;

		/**
		 * How long after Redis answered a read of this store the near cache may answer
		 * it. Unset: 'kv.near-cache.ttl' (default: 60s).
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
		 * @param enabled whether this store keeps reads in a near cache, or {@code null}
		 * for {@code kv.near-cache.enabled}
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
		 * @param maxEntries the most entries this store's near cache keeps, or
		 * {@code null} for {@code kv.near-cache.max-entries}
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
		 * @param ttl how long this store's near cache may answer a read, or {@code null}
		 * for {@code kv.near-cache.ttl}
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

	/**
	 * The settings of one store, under {@code kv.stores.<name>}; each unset setting takes
	 * the value of the setting of the same name under {@code kv.*}. IDEs complete
	 * {@code kv.stores.<name>.*} from this type (the metadata gives {@code kv.stores} as
	 * a map of it) and show the comments of its fields, which name each default.
	 */
	public static class Store {

		/**
		 * Where this store keeps its entries: 'redis' (the application's Redis) or
		 * 'memory' (the application's heap). Unset: 'kv.backend' (default: redis).
		 */
		private @Nullable KvBackend backend;

		/**
		 * Prefix of every Redis key of this store. Unset: 'kv.key-prefix', the store name
		 * and ':' (default: {@code kv:<name>:}, such as 'kv:sessions:'). It may hold one
		 * complete Redis Cluster hash tag such as '{sessions}' (every key of the store
		 * then shares one slot) but no other braces, and must not start another store's
		 * prefix.
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
		 * Largest key of this store, in bytes of UTF-8 (1B to 64KB). Unset:
		 * 'kv.max-key-size' (default: 512B).
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
		 * Shortest expiration a put to this store may ask for; whole seconds, at least
		 * one second. Unset: 'kv.min-ttl' (default: 60s).
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration minTtl;

		/**
		 * Largest page a list of this store may ask for, and its page size when a list
		 * gives no limit (1 to 100000). Unset: 'kv.max-list-limit' (default: 1000).
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
		private final StoreNearCache nearCache = new StoreNearCache();

		/**
		 * How this store uses Redis: 'redis.replicas-to-wait' and 'redis.wait-timeout',
		 * each taking the setting under 'kv.redis.*' when unset.
		 */
		private final StoreRedis redis = new StoreRedis();

		/**
		 * The near cache of this store.
		 * @return the near cache of this store
		 */
		public StoreNearCache getNearCache() {
			return this.nearCache;
		}

		/**
		 * How this store uses Redis.
		 * @return how this store uses Redis
		 */
		public StoreRedis getRedis() {
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
		 * @return this store's largest value, or {@code null} for
		 * {@code kv.max-value-size}
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
		 * This store's largest metadata, or {@code null} for
		 * {@code kv.max-metadata-size}.
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
		 * @return this store's shortest expiration, or {@code null} for
		 * {@code kv.min-ttl}
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

}
