package io.kvstore.redis;

import io.kvstore.core.KvReplicaAckSettings;
import org.jspecify.annotations.Nullable;

/**
 * One write that must reach replicas before it returns: how many, for how long, and what
 * it is (for the message when too few have it).
 *
 * @param settings the store's replicas to wait for and wait timeout
 * @param write what the write is, such as {@code the put of key 'a' of store 'x'}
 * @param conditional whether the write is a script that may write nothing and says so
 * with a reply of 0 or less (a chunked put's commit that lost a race): too few replicas
 * are then no failure, since there was nothing for them to have
 */
record ReplicaAck(KvReplicaAckSettings settings, String write, boolean conditional) {

	ReplicaAck(KvReplicaAckSettings settings, String write) {
		this(settings, write, false);
	}

	/** The same wait for a script whose reply of 0 or less says it wrote nothing. */
	ReplicaAck asConditional() {
		return new ReplicaAck(this.settings, this.write, true);
	}

	/**
	 * Fails, as {@link #check(Long)} does, unless the write's reply says that nothing was
	 * written ({@link #conditional()}).
	 * @param reply the write's reply
	 * @param acknowledged {@code WAIT}'s reply
	 */
	void check(@Nullable Object reply, Long acknowledged) {
		if (this.conditional && reply instanceof Long written && written <= 0) {
			return;
		}
		check(acknowledged);
	}

	int replicas() {
		return this.settings.replicas();
	}

	long timeoutMillis() {
		return this.settings.timeout().toMillis();
	}

	/**
	 * Fails when fewer replicas than asked for acknowledged the write.
	 * @param acknowledged {@code WAIT}'s reply
	 * @throws KvReplicaAckException saying how many did, and that the master has the
	 * write
	 */
	void check(Long acknowledged) {
		if (acknowledged == null || acknowledged < replicas()) {
			long count = (acknowledged != null) ? acknowledged : 0;
			throw new KvReplicaAckException(capitalized() + " was acknowledged by " + count + " of the " + replicas()
					+ " replica" + ((replicas() == 1) ? "" : "s") + " it waits for within " + timeoutMillis()
					+ " ms (redis.replicas-to-wait, redis.wait-timeout). The master has done the write: it may be "
					+ "read, and a failover now may lose it; writing it again is safe", replicas(), count);
		}
	}

	private String capitalized() {
		return Character.toUpperCase(this.write.charAt(0)) + this.write.substring(1);
	}

}
