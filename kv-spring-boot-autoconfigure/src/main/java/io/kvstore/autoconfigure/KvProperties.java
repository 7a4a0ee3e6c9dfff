package io.kvstore.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import io.kvstore.core.KvStoreSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
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
	private Map<String, KvStoreProperties> stores = new LinkedHashMap<>();

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
	@NestedConfigurationProperty
	private final KvRedisProperties redis = new KvRedisProperties();

	/**
	 * Spring's cache abstraction over the stores.
	 */
	@NestedConfigurationProperty
	private final KvCacheProperties cache = new KvCacheProperties();

	/**
	 * Spring's cache abstraction over the stores.
	 * @return Spring's cache abstraction over the stores
	 */
	public KvCacheProperties getCache() {
		return this.cache;
	}

	/**
	 * The near cache of every store unless a store sets its own 'near-cache.*'.
	 */
	@NestedConfigurationProperty
	private final KvNearCacheProperties nearCache = new KvNearCacheProperties();

	/**
	 * The near cache of every store that sets none of its own.
	 * @return the near cache of every store that sets none of its own
	 */
	public KvNearCacheProperties getNearCache() {
		return this.nearCache;
	}

	/**
	 * How stores on Redis use it.
	 * @return how stores on Redis use it
	 */
	public KvRedisProperties getRedis() {
		return this.redis;
	}

	/**
	 * The declared stores, by name.
	 * @return the declared stores, by name
	 */
	public Map<String, KvStoreProperties> getStores() {
		return this.stores;
	}

	/**
	 * Sets the declared stores, by name.
	 * @param stores the stores, by name
	 */
	public void setStores(Map<String, KvStoreProperties> stores) {
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

}
