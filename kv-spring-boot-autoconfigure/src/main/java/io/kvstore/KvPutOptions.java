package io.kvstore;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Expiration and metadata of a put. A put replaces the whole entry: options that are
 * absent here are absent from the entry afterwards (no metadata, no expiration beyond the
 * store's default TTL).
 * <p>
 * The values are checked by the store on {@code put}, against its limits:
 * <ul>
 * <li>{@code expirationTtl}: whole seconds, at least the minimum TTL ({@code kv.min-ttl},
 * 60 s by default); the entry expires that long after the put.</li>
 * <li>{@code expiration}: epoch seconds, strictly in the future and at least the minimum
 * TTL ahead.</li>
 * <li>When both are given, {@code expirationTtl} wins and {@code expiration} is
 * ignored.</li>
 * <li>No expiration may lie beyond the end of year 9999 (epoch second 253402300799).</li>
 * <li>{@code metadata}: any value Jackson can serialise, at most 1024 bytes as compact
 * UTF-8 JSON; a value that serialises to JSON {@code null} means no metadata.</li>
 * </ul>
 *
 * @param expiration when the entry expires, in epoch seconds
 * @param expirationTtl how long after the put the entry expires, in seconds
 * @param metadata a value stored with the entry and returned by {@code getWithMetadata}
 * and {@code list}
 */
public record KvPutOptions(@Nullable Long expiration, @Nullable Long expirationTtl, @Nullable Object metadata) {

	private static final KvPutOptions NONE = new KvPutOptions(null, null, null);

	/**
	 * Options with no expiration and no metadata.
	 * @return the empty options
	 */
	public static KvPutOptions none() {
		return NONE;
	}

	/**
	 * Starts building options.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Builds {@link KvPutOptions}. Reads like a sentence:
	 * {@code KvPutOptions.builder().expirationTtl(Duration.ofHours(24)).metadata(meta).build()}.
	 */
	public static final class Builder {

		private @Nullable Long expiration;

		private @Nullable Long expirationTtl;

		private @Nullable Object metadata;

		private Builder() {
		}

		/**
		 * Expire the entry at the given instant.
		 * @param epochSeconds the expiration in seconds since the epoch
		 * @return this builder
		 */
		public Builder expiration(long epochSeconds) {
			this.expiration = epochSeconds;
			return this;
		}

		/**
		 * Expire the entry at the given instant, rounded down to whole seconds.
		 * @param instant the expiration
		 * @return this builder
		 */
		public Builder expiration(Instant instant) {
			if (instant == null) {
				throw new IllegalArgumentException("'expiration' must not be null");
			}
			this.expiration = instant.getEpochSecond();
			return this;
		}

		/**
		 * Expire the entry this many seconds after the put.
		 * @param seconds the time to live in seconds
		 * @return this builder
		 */
		public Builder expirationTtl(long seconds) {
			this.expirationTtl = seconds;
			return this;
		}

		/**
		 * Expire the entry this long after the put.
		 * @param ttl the time to live, in whole seconds
		 * @return this builder
		 * @throws IllegalArgumentException when the duration is not a whole number of
		 * seconds
		 */
		public Builder expirationTtl(Duration ttl) {
			if (ttl == null) {
				throw new IllegalArgumentException("'expirationTtl' must not be null");
			}
			if (ttl.getNano() != 0) {
				throw new IllegalArgumentException("'expirationTtl' must be a whole number of seconds, was " + ttl);
			}
			this.expirationTtl = ttl.getSeconds();
			return this;
		}

		/**
		 * Store this value, serialised as JSON, with the entry.
		 * @param metadata the metadata, or {@code null} for none
		 * @return this builder
		 */
		public Builder metadata(@Nullable Object metadata) {
			this.metadata = metadata;
			return this;
		}

		/**
		 * Builds the options.
		 * @return the options
		 */
		public KvPutOptions build() {
			return new KvPutOptions(this.expiration, this.expirationTtl, this.metadata);
		}

	}

}
