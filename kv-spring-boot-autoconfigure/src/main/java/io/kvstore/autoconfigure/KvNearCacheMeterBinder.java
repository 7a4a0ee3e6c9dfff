package io.kvstore.autoconfigure;

import java.util.function.ToDoubleFunction;

import io.kvstore.KvStores;
import io.kvstore.redis.KvNearCacheStatistics;
import io.kvstore.redis.RedisKvNamespace;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Meters of every store's near cache, read live from its {@link KvNearCacheStatistics}
 * and tagged {@code store}: the counters {@code kv.near-cache.gets} (tagged
 * {@code result}: {@code hit}, {@code miss}, {@code bypass}; one per key read),
 * {@code kv.near-cache.evictions} and {@code kv.near-cache.invalidations}, and the gauge
 * {@code kv.near-cache.size}. Stores without a near cache get none.
 */
class KvNearCacheMeterBinder implements MeterBinder {

	/** The prefix of the meters' names. */
	static final String PREFIX = "kv.near-cache.";

	private final ObjectProvider<KvStores> stores;

	KvNearCacheMeterBinder(ObjectProvider<KvStores> stores) {
		this.stores = stores;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		KvStores stores = this.stores.getIfAvailable();
		if (stores == null) {
			return;
		}
		for (String name : stores.names()) {
			if (stores.get(name) instanceof RedisKvNamespace redis) {
				KvNearCacheStatistics statistics = redis.nearCacheStatistics();
				if (statistics != null) {
					bind(registry, name, statistics);
				}
			}
		}
	}

	private static void bind(MeterRegistry registry, String store, KvNearCacheStatistics statistics) {
		gets(registry, store, statistics, "hit", KvNearCacheStatistics::hitCount);
		gets(registry, store, statistics, "miss", KvNearCacheStatistics::missCount);
		gets(registry, store, statistics, "bypass", KvNearCacheStatistics::bypassCount);
		FunctionCounter.builder(PREFIX + "evictions", statistics, KvNearCacheStatistics::evictionCount)
			.description("Entries the near cache dropped by its bound or because they expired")
			.tag("store", store)
			.register(registry);
		FunctionCounter.builder(PREFIX + "invalidations", statistics, KvNearCacheStatistics::invalidationCount)
			.description("Invalidation messages Redis pushed to the near cache")
			.tag("store", store)
			.register(registry);
		Gauge.builder(PREFIX + "size", statistics, KvNearCacheStatistics::size)
			.description("Entries the near cache holds")
			.tag("store", store)
			.register(registry);
	}

	private static void gets(MeterRegistry registry, String store, KvNearCacheStatistics statistics, String result,
			ToDoubleFunction<KvNearCacheStatistics> count) {
		FunctionCounter.builder(PREFIX + "gets", statistics, count)
			.description("Keys read from a store with a near cache, by who answered")
			.tag("store", store)
			.tag("result", result)
			.register(registry);
	}

}
