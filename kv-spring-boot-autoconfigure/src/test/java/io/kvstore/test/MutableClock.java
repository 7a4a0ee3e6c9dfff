package io.kvstore.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that a test moves by hand, to expire entries of the memory backend without
 * waiting.
 */
public final class MutableClock extends Clock {

	private final AtomicLong millis;

	/**
	 * A clock that starts at the given instant.
	 * @param start the instant
	 */
	public MutableClock(Instant start) {
		this.millis = new AtomicLong(start.toEpochMilli());
	}

	/**
	 * Sets the clock.
	 * @param millis the epoch millisecond
	 */
	public void setMillis(long millis) {
		this.millis.set(millis);
	}

	/**
	 * Moves the clock forward.
	 * @param duration how far
	 */
	public void advance(Duration duration) {
		this.millis.addAndGet(duration.toMillis());
	}

	@Override
	public long millis() {
		return this.millis.get();
	}

	@Override
	public Instant instant() {
		return Instant.ofEpochMilli(millis());
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("A MutableClock is in UTC");
	}

}
