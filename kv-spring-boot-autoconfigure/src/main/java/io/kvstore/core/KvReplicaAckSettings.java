package io.kvstore.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How many replicas must have a store's put or delete before it returns (off unless a
 * store asks for it): Redis' {@code WAIT numreplicas timeout}, sent right after the write
 * on the same connection. Without it a write is acknowledged once the master has it, and
 * a failover before the master replicated it loses it.
 *
 * @param replicas how many replicas must acknowledge each write, 0 (the default) for
 * none: the write returns once the master has it
 * @param timeout how long a write waits for them; whole milliseconds, at least one
 */
public record KvReplicaAckSettings(int replicas, Duration timeout) {

	/** The default: no replica waited for. */
	public static final int DEFAULT_REPLICAS = 0;

	/** The default wait: one second. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

	/** The most replicas a write may wait for. */
	public static final int MAX_REPLICAS = 100;

	/** The longest wait: ten minutes. */
	public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

	/** No replica waited for: a write returns once the master has it. */
	public static final KvReplicaAckSettings NONE = new KvReplicaAckSettings(DEFAULT_REPLICAS, DEFAULT_TIMEOUT);

	/**
	 * Checks the settings.
	 * @param replicas 0 to {@link #MAX_REPLICAS}
	 * @param timeout whole milliseconds, 1 ms to {@link #MAX_TIMEOUT} (a {@code WAIT}
	 * timeout of 0 would wait for ever)
	 * @throws KvSettingException naming the setting ({@code redis.replicasToWait} or
	 * {@code redis.waitTimeout}), its limit and the value given
	 */
	public KvReplicaAckSettings {
		if (replicas < 0 || replicas > MAX_REPLICAS) {
			throw new KvSettingException("redis.replicasToWait",
					"'redis.replicasToWait' must be between 0 and " + MAX_REPLICAS + " replicas, was " + replicas);
		}
		checkTimeout(timeout);
	}

	private static void checkTimeout(@Nullable Duration timeout) {
		if (timeout == null || timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0
				|| timeout.getNano() % 1_000_000 != 0) {
			throw new KvSettingException("redis.waitTimeout",
					"'redis.waitTimeout' must be a whole number of milliseconds between 1 ms and "
							+ MAX_TIMEOUT.toMinutes() + " minutes, was " + ((timeout != null) ? timeout : "null"));
		}
	}

	/**
	 * Whether a write waits for replicas.
	 * @return {@code true} when {@link #replicas()} is at least 1
	 */
	public boolean waits() {
		return this.replicas > 0;
	}

}
