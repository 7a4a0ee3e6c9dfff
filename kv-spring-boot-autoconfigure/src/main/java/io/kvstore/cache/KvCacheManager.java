package io.kvstore.cache;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.kvstore.KvStores;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Every declared store as a Spring {@link Cache} of the same name. For a name that is no
 * declared store, {@link #getCache} returns {@code null}, as Spring's SPI says;
 * {@link KvCacheResolver} turns that into an error that names the declared stores.
 */
public final class KvCacheManager implements CacheManager {

	private final Map<String, KvCache> caches = new LinkedHashMap<>();

	/**
	 * The caches of every store.
	 * @param stores the declared stores
	 * @param values how values become JSON and back
	 * @param cacheNullValues whether {@code null} values are cached
	 */
	public KvCacheManager(KvStores stores, KvCacheValues values, boolean cacheNullValues) {
		for (String name : stores.names()) {
			this.caches.put(name, new KvCache(stores.get(name), values, cacheNullValues));
		}
	}

	@Override
	public @Nullable Cache getCache(String name) {
		return this.caches.get(name);
	}

	@Override
	public Collection<String> getCacheNames() {
		return this.caches.keySet();
	}

}
