package io.kvstore.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationUnit;

/**
 * How one store uses Redis; each unset setting takes the value under {@code kv.redis.*}.
 * <p>
 * Bound under {@code kv.stores.<name>.redis} ({@link KvStoreProperties#getRedis()}).
 */
public class KvStoreRedisProperties {

	/**
	 * How many replicas must have each put and delete of this store before it returns
	 * (WAIT in the same round trip); fewer within 'wait-timeout' fail the call with a
	 * DataAccessException. Unset: 'kv.redis.replicas-to-wait' (default: 0, a write
	 * returns once the master has it).
	 */
	private @Nullable Integer replicasToWait;

	/**
	 * How long a write of this store waits for its replicas, whole milliseconds. Unset:
	 * 'kv.redis.wait-timeout' (default: 1s).
	 */
	@DurationUnit(ChronoUnit.MILLIS)
	private @Nullable Duration waitTimeout;

	/**
	 * How many replicas must have each write of this store, or {@code null} for
	 * {@code kv.redis.replicas-to-wait}.
	 * @return how many replicas must have each write of this store, or {@code null} for
	 * {@code kv.redis.replicas-to-wait}
	 */
	public @Nullable Integer getReplicasToWait() {
		return this.replicasToWait;
	}

	/**
	 * Sets how many replicas must have each write of this store.
	 * @param replicasToWait how many replicas, or {@code null} for
	 * {@code kv.redis.replicas-to-wait}
	 */
	public void setReplicasToWait(@Nullable Integer replicasToWait) {
		this.replicasToWait = replicasToWait;
	}

	/**
	 * How long a write of this store waits for its replicas, or {@code null} for
	 * {@code kv.redis.wait-timeout}.
	 * @return how long a write of this store waits for its replicas, or {@code null} for
	 * {@code kv.redis.wait-timeout}
	 */
	public @Nullable Duration getWaitTimeout() {
		return this.waitTimeout;
	}

	/**
	 * Sets how long a write of this store waits for its replicas.
	 * @param waitTimeout how long, or {@code null} for {@code kv.redis.wait-timeout}
	 */
	public void setWaitTimeout(@Nullable Duration waitTimeout) {
		this.waitTimeout = waitTimeout;
	}

}
