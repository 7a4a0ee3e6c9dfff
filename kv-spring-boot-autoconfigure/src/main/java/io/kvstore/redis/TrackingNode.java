package io.kvstore.redis;

import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.api.StatefulRedisConnection;

/**
 * The tracking connection to one node of a {@link TrackingLink}, and when its last
 * answered PING was sent.
 */
final class TrackingNode {

	final String address;

	final StatefulRedisConnection<byte[], byte[]> connection;

	final long clientId;

	final AtomicBoolean pingInFlight = new AtomicBoolean();

	volatile long lastPongNanos;

	TrackingNode(String address, StatefulRedisConnection<byte[], byte[]> connection, long clientId, long now) {
		this.address = address;
		this.connection = connection;
		this.clientId = clientId;
		this.lastPongNanos = now;
	}

}
