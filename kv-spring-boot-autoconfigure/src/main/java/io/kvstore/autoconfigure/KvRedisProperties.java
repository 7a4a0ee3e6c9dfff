package io.kvstore.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.kvstore.core.KvReplicaAckSettings;
import io.kvstore.redis.RestoreMode;

import org.springframework.boot.convert.DurationUnit;

/**
 * How stores on Redis use it.
 * <p>
 * Bound under {@code kv.redis} ({@link KvProperties#getRedis()}).
 */
public class KvRedisProperties {

	/**
	 * Whether puts of values up to 16 KiB are one RESTORE each: 'auto' (falls back to
	 * scripts, once and with a warning, when Redis refuses RESTORE) or 'never' (always
	 * scripts; for a Redis whose policy forbids RESTORE, at more Redis time per put).
	 */
	private RestoreMode restore = RestoreMode.AUTO;

	/**
	 * How many replicas must have each put and delete before it returns (Redis' WAIT,
	 * sent in the same round trip as the write), for every store unless a store sets its
	 * own. 0: a write returns once the master has it, and a failover before it reached a
	 * replica may lose it. Fewer replicas within 'wait-timeout' fail the call with a
	 * DataAccessException (the master has the write). Not supported on Redis Cluster;
	 * ignored by stores in memory.
	 */
	private int replicasToWait = KvReplicaAckSettings.DEFAULT_REPLICAS;

	/**
	 * How long a write waits for 'replicas-to-wait' replicas, whole milliseconds (1ms to
	 * 10m); keep it below spring.data.redis.timeout, as other calls on the shared
	 * connection wait behind it.
	 */
	@DurationUnit(ChronoUnit.MILLIS)
	private Duration waitTimeout = KvReplicaAckSettings.DEFAULT_TIMEOUT;

	/**
	 * How many replicas must have each write before it returns.
	 * @return how many replicas must have each write before it returns
	 */
	public int getReplicasToWait() {
		return this.replicasToWait;
	}

	/**
	 * Sets how many replicas must have each write before it returns.
	 * @param replicasToWait how many replicas, 0 for none
	 */
	public void setReplicasToWait(int replicasToWait) {
		this.replicasToWait = replicasToWait;
	}

	/**
	 * How long a write waits for its replicas.
	 * @return how long a write waits for its replicas
	 */
	public Duration getWaitTimeout() {
		return this.waitTimeout;
	}

	/**
	 * Sets how long a write waits for its replicas.
	 * @param waitTimeout how long a write waits for its replicas
	 */
	public void setWaitTimeout(Duration waitTimeout) {
		this.waitTimeout = waitTimeout;
	}

	/**
	 * Whether puts use RESTORE.
	 * @return whether puts use RESTORE
	 */
	public RestoreMode getRestore() {
		return this.restore;
	}

	/**
	 * Sets whether puts use RESTORE.
	 * @param restore {@code auto} or {@code never}
	 */
	public void setRestore(RestoreMode restore) {
		this.restore = restore;
	}

}
