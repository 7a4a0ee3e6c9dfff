package io.kvstore.redis;

import java.util.Map;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.jspecify.annotations.Nullable;

/**
 * An open {@link InvalidationChannel}: the tracking connections that near-cached reads go
 * over, one to the single Redis, or one to each master of a cluster (opened through a
 * cluster connection of the channel's own, as it knew the topology then).
 */
final class TrackingLink {

	private final StatefulConnection<byte[], byte[]> owner;

	final @Nullable Partitions partitions;

	final Map<String, TrackingNode> nodes;

	final long timeoutNanos;

	TrackingLink(StatefulConnection<byte[], byte[]> owner, @Nullable Partitions partitions,
			Map<String, TrackingNode> nodes) {
		this.owner = owner;
		this.partitions = partitions;
		this.nodes = nodes;
		this.timeoutNanos = owner.getTimeout().toNanos();
	}

	/**
	 * The tracking connection that a key is read over: that of the master that owns its
	 * slot, so that the key's invalidations travel on the connection of its read.
	 * @throws RedisException when no tracking connection serves the key's slot (the
	 * topology changed)
	 */
	StatefulRedisConnection<byte[], byte[]> connection(byte[] key) {
		Partitions partitions = this.partitions;
		RedisClusterNode owner = (partitions != null) ? partitions.getMasterBySlot(SlotHash.getSlot(key)) : null;
		TrackingNode node = (partitions == null) ? this.nodes.get("")
				: (owner != null) ? this.nodes.get(owner.getNodeId()) : null;
		if (node == null) {
			throw new RedisException("No tracking connection serves slot " + SlotHash.getSlot(key));
		}
		return node.connection;
	}

	// When the last PING of every node that was answered was sent.
	long lastPongNanos() {
		long oldest = Long.MAX_VALUE;
		for (TrackingNode node : this.nodes.values()) {
			oldest = Math.min(oldest, node.lastPongNanos);
		}
		return oldest;
	}

	// The node connections of a cluster belong to its connection, which closes them.
	void closeAsync() {
		this.owner.closeAsync();
	}

}
