package io.kvstore.redis;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * A key of the near cache: an entry key, compared by its bytes, with the invalidation
 * stripe it counts in.
 */
final class NearCacheKey {

	final byte[] bytes;

	private final int hash;

	NearCacheKey(byte[] bytes) {
		this.bytes = bytes;
		this.hash = Arrays.hashCode(bytes);
	}

	int stripe() {
		return (this.hash ^ (this.hash >>> 16)) & (NearCache.STRIPES - 1);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof NearCacheKey key && key.hash == this.hash && Arrays.equals(key.bytes, this.bytes);
	}

	@Override
	public int hashCode() {
		return this.hash;
	}

}
