package io.kvstore.redis;

import io.kvstore.core.KvStoredValue;
import org.jspecify.annotations.Nullable;

/**
 * A cached answer: the value (or {@code null} for a missing key) and metadata, when Redis
 * answered (the read's send time), until when the key lives, and how long the read that
 * filled it asked to keep it. Times are {@link System#nanoTime()}.
 *
 * @param value the value, {@code null} for a missing key
 * @param metadata the metadata JSON, if any
 * @param filledNanos when the read that filled it was sent
 * @param expiresNanos when the key expires, {@link Long#MAX_VALUE} for never
 * @param keepNanos the read's cache TTL
 */
record NearCacheEntry(byte @Nullable [] value, byte @Nullable [] metadata, long filledNanos, long expiresNanos,
		long keepNanos) {

	boolean answers(long now, long ttlNanos) {
		return now - this.filledNanos < ttlNanos && now < this.expiresNanos;
	}

	long length() {
		return (this.value != null) ? this.value.length : 0;
	}

	KvStoredValue hit(boolean withMetadata) {
		return answer(withMetadata, KvStoredValue.HIT);
	}

	// A copy, so that a caller that changes the bytes it got changes nothing cached.
	KvStoredValue answer(boolean withMetadata, String status) {
		if (this.value == null) {
			return KvStoredValue.missing(status);
		}
		return new KvStoredValue(this.value.clone(), null, withMetadata ? this.metadata : null, this.value.length,
				status);
	}

	// Each entry is dropped once the read that filled it no longer lets it answer, or the
	// key expires; reads with a shorter cacheTtl check the age themselves.
	static final class Expiry implements com.github.benmanes.caffeine.cache.Expiry<NearCacheKey, NearCacheEntry> {

		@Override
		public long expireAfterCreate(NearCacheKey key, NearCacheEntry entry, long currentTime) {
			long now = System.nanoTime();
			long keep = entry.filledNanos + entry.keepNanos - now;
			long live = (entry.expiresNanos == Long.MAX_VALUE) ? Long.MAX_VALUE : entry.expiresNanos - now;
			return Math.max(0, Math.min(keep, live));
		}

		@Override
		public long expireAfterUpdate(NearCacheKey key, NearCacheEntry entry, long currentTime, long currentDuration) {
			return expireAfterCreate(key, entry, currentTime);
		}

		@Override
		public long expireAfterRead(NearCacheKey key, NearCacheEntry entry, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
