package io.kvstore.autoconfigure;

import io.kvstore.cache.KvCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer's cache meters for a {@link KvCache}: gets (hits, misses), puts and
 * evictions, as Boot binds them for its own caches ({@code cache.gets},
 * {@code cache.puts}, {@code cache.evictions}). The size is unknown (a store is counted
 * by listing it).
 */
final class KvCacheMeterBinder extends CacheMeterBinder<KvCache> {

	KvCacheMeterBinder(KvCache cache, Iterable<Tag> tags) {
		super(cache, cache.getName(), tags);
	}

	@Override
	protected @Nullable Long size() {
		return null;
	}

	@Override
	protected long hitCount() {
		KvCache cache = getCache();
		return (cache != null) ? cache.hitCount() : 0;
	}

	@Override
	protected @Nullable Long missCount() {
		KvCache cache = getCache();
		return (cache != null) ? cache.missCount() : null;
	}

	@Override
	protected @Nullable Long evictionCount() {
		KvCache cache = getCache();
		return (cache != null) ? cache.evictionCount() : null;
	}

	@Override
	protected long putCount() {
		KvCache cache = getCache();
		return (cache != null) ? cache.putCount() : 0;
	}

	@Override
	protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
	}

}
