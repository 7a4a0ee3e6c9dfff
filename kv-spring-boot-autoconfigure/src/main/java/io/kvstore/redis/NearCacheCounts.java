package io.kvstore.redis;

import java.util.concurrent.atomic.LongAdder;

import io.kvstore.core.KvStoredValue;
import org.jspecify.annotations.Nullable;

/**
 * What a near cache counts for its meters: every key read once, by who answered it, and
 * the entries it evicted (by its bound or by their expiry, not by an invalidation).
 */
final class NearCacheCounts {

	final LongAdder hits = new LongAdder();

	final LongAdder misses = new LongAdder();

	final LongAdder bypasses = new LongAdder();

	final LongAdder evictions = new LongAdder();

	/** Counts a key read by its cache status; returns it. */
	@Nullable KvStoredValue counted(@Nullable KvStoredValue value) {
		String status = (value != null) ? value.cacheStatus() : null;
		(KvStoredValue.HIT.equals(status) ? this.hits
				: KvStoredValue.BYPASS.equals(status) ? this.bypasses : this.misses)
			.increment();
		return value;
	}

}
