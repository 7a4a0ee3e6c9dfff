package io.kvstore.core;

/**
 * When an entry expires: never, a number of milliseconds after the put (measured by the
 * backend's clock: Redis' own, or the application's for the memory backend), or at an
 * epoch millisecond.
 *
 * @param mode never, after a time to live, or at an instant
 * @param millis the time to live, or the epoch millisecond; 0 for never
 */
public record KvExpiry(Mode mode, long millis) {

	/** An entry that never expires. */
	public static final KvExpiry NONE = new KvExpiry(Mode.NONE, 0);

	/**
	 * An entry that expires a time after the put.
	 * @param millis the time to live in milliseconds
	 * @return the expiry
	 */
	public static KvExpiry after(long millis) {
		return new KvExpiry(Mode.AFTER, millis);
	}

	/**
	 * An entry that expires at an instant.
	 * @param epochMillis the instant in epoch milliseconds
	 * @return the expiry
	 */
	public static KvExpiry at(long epochMillis) {
		return new KvExpiry(Mode.AT, epochMillis);
	}

	/**
	 * The instant of expiry, for a put made at {@code nowMillis}.
	 * @param nowMillis the time of the put in epoch milliseconds
	 * @return the epoch millisecond of expiry, or {@link Long#MAX_VALUE} for never
	 */
	public long expiresAt(long nowMillis) {
		return switch (this.mode) {
			case NONE -> Long.MAX_VALUE;
			case AFTER -> nowMillis + this.millis;
			case AT -> this.millis;
		};
	}

	/** How an entry expires. */
	public enum Mode {

		/** Never. */
		NONE,
		/** A time after the put. */
		AFTER,
		/** At an instant. */
		AT

	}

}
