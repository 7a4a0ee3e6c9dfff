package io.kvstore.autoconfigure;

/**
 * Spring's cache abstraction over the stores.
 * <p>
 * Bound under {@code kv.cache} ({@link KvProperties#getCache()}).
 */
public class KvCacheProperties {

	/**
	 * Whether every declared store is a Spring Cache of the same name (a CacheManager
	 * bean; needs @EnableCaching). Entries live for the store's default-ttl.
	 */
	private boolean enabled;

	/**
	 * Whether null values are cached (as Spring's NullValue); otherwise a null result is
	 * not cached.
	 */
	private boolean cacheNullValues;

	/**
	 * Packages (with their subpackages) whose types cached values may be read back as,
	 * beside the application's own packages (those of @SpringBootApplication) and the
	 * JDK's value types. Reading a type named in stored data is an attack surface: allow
	 * only packages of your own value types.
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
	 * The packages, beside the application's, whose types cached values may be read as.
	 * @return the packages, beside the application's, whose types cached values may be
	 * read as
	 */
	public java.util.List<String> getAllowedPackages() {
		return this.allowedPackages;
	}

	/**
	 * Sets the packages, beside the application's, whose types cached values may be read
	 * as.
	 * @param allowedPackages the packages, beside the application's, whose types cached
	 * values may be read as
	 */
	public void setAllowedPackages(java.util.List<String> allowedPackages) {
		this.allowedPackages = allowedPackages;
	}

}
