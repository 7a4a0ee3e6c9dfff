package io.kvstore;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Options of a read.
 *
 * @param cacheTtl how long, in whole seconds, a near cache may answer for this read (at
 * least the store's minimum cache TTL, 30 seconds by default, {@code kv.min-cache-ttl});
 * {@code null} for the near cache's default. Without a near cache it is checked and has
 * no effect.
 * @since 0.2
 */
public record KvGetOptions(@Nullable Long cacheTtl) {

	private static final KvGetOptions NONE = new KvGetOptions(null);

	/**
	 * No options: the near cache's default TTL.
	 * @return the options
	 */
	public static KvGetOptions none() {
		return NONE;
	}

	/**
	 * A read that a near cache may answer for the given time.
	 * @param seconds the cache TTL in whole seconds
	 * @return the options
	 */
	public static KvGetOptions cacheTtl(long seconds) {
		return new KvGetOptions(seconds);
	}

	/**
	 * A builder of options.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Builds {@link KvGetOptions}.
	 */
	public static final class Builder {

		private @Nullable Long cacheTtl;

		private Builder() {
		}

		/**
		 * How long a near cache may answer for this read.
		 * @param seconds the cache TTL in whole seconds
		 * @return this builder
		 */
		public Builder cacheTtl(long seconds) {
			this.cacheTtl = seconds;
			return this;
		}

		/**
		 * How long a near cache may answer for this read.
		 * @param ttl the cache TTL, in whole seconds
		 * @return this builder
		 * @throws IllegalArgumentException when the duration is not a whole number of
		 * seconds
		 */
		public Builder cacheTtl(Duration ttl) {
			if (ttl == null) {
				throw new IllegalArgumentException("'cacheTtl' must not be null");
			}
			if (ttl.getNano() != 0) {
				throw new IllegalArgumentException("'cacheTtl' must be a whole number of seconds, was " + ttl);
			}
			this.cacheTtl = ttl.getSeconds();
			return this;
		}

		/**
		 * The options.
		 * @return the options
		 */
		public KvGetOptions build() {
			return new KvGetOptions(this.cacheTtl);
		}

	}

}
