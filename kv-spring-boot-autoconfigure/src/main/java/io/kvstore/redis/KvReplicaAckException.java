package io.kvstore.redis;

import org.springframework.dao.TransientDataAccessException;

/**
 * A put or delete of a store that waits for replicas
 * ({@code kv.stores.<name>.redis.replicas-to-wait}) that fewer replicas acknowledged
 * within the wait timeout than it asked for. The master has done the write: it may be
 * read, and it stays unless a failover promotes a replica that lacks it. Writing again
 * (puts and deletes replace the whole entry) is safe.
 */
public class KvReplicaAckException extends TransientDataAccessException {

	private static final long serialVersionUID = 1L;

	/** How many replicas the write waited for. */
	private final int required;

	/** How many replicas acknowledged it. */
	private final long acknowledged;

	KvReplicaAckException(String message, int required, long acknowledged) {
		super(message);
		this.required = required;
		this.acknowledged = acknowledged;
	}

	/**
	 * How many replicas the write waited for.
	 * @return the store's {@code replicas-to-wait}
	 */
	public int required() {
		return this.required;
	}

	/**
	 * How many replicas acknowledged the write within the timeout.
	 * @return fewer than {@link #required()}
	 */
	public long acknowledged() {
		return this.acknowledged;
	}

}
