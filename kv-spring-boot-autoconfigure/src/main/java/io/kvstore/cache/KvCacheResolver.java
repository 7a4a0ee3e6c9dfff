package io.kvstore.cache;

import java.util.ArrayList;
import java.util.Collection;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.SimpleCacheResolver;

/**
 * Resolves the caches of a caching annotation, failing for a cache name that is no
 * declared store with a message that names the declared stores.
 */
public final class KvCacheResolver extends SimpleCacheResolver {

	/**
	 * A resolver over a cache manager.
	 * @param cacheManager the KV cache manager
	 */
	public KvCacheResolver(CacheManager cacheManager) {
		super(cacheManager);
	}

	@Override
	public Collection<? extends Cache> resolveCaches(CacheOperationInvocationContext<?> context) {
		Collection<String> names = getCacheNames(context);
		if (names == null) {
			return java.util.List.of();
		}
		Collection<Cache> caches = new ArrayList<>(names.size());
		for (String name : names) {
			Cache cache = getCacheManager().getCache(name);
			if (cache == null) {
				throw new IllegalArgumentException("No cache named '" + name + "' for " + context.getOperation()
						+ ": the caches are the declared KV stores " + getCacheManager().getCacheNames()
						+ "; declare kv.stores." + name + " to cache in it");
			}
			caches.add(cache);
		}
		return caches;
	}

}
