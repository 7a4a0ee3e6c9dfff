package io.kvstore.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * The connection of a {@link KvRedisConnection}, opened on first use (an unreachable
 * Redis does not fail start-up) and again after the factory closed its shared connection.
 */
final class LazyConnection implements AutoCloseable {

	// Opens connections, off the callers' threads (see open()).
	private static final Executor CONNECTING = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "kv-redis-connect");
		thread.setDaemon(true);
		return thread;
	});

	private final Supplier<OpenedConnection> opener;

	private final String address;

	private final Object lock = new Object();

	private volatile @Nullable OpenedConnection opened;

	private volatile @Nullable ReconnectWatch reconnects;

	private volatile boolean closed;

	private final Supplier<AbstractRedisClient> client;

	LazyConnection(Supplier<OpenedConnection> opener, Supplier<AbstractRedisClient> client, String address) {
		this.opener = opener;
		this.client = client;
		this.address = address;
	}

	/**
	 * Opens a connection of its own (with the client's settings: address, credentials,
	 * database, timeouts), for a near cache's invalidation channel.
	 * @return a {@code StatefulRedisConnection} to the single Redis, or a
	 * {@code StatefulRedisClusterConnection} of its own to the cluster (whose node
	 * connections the channel uses)
	 */
	StatefulConnection<byte[], byte[]> openDedicated() {
		if (this.closed) {
			throw new IllegalStateException("The KV Redis connection has been closed");
		}
		get(); // opens through the factory first, which makes its client on start
		AbstractRedisClient lettuce = this.client.get();
		try {
			if (lettuce instanceof RedisClusterClient cluster) {
				return cluster.connect(ByteArrayCodec.INSTANCE);
			}
			return ((RedisClient) lettuce).connect(ByteArrayCodec.INSTANCE);
		}
		catch (RuntimeException ex) {
			throw RedisErrors.connectionFailure(ex);
		}
	}

	/**
	 * Runs an action whenever a cluster client's topology changed (as Lettuce's refresh
	 * found it); nothing for a single Redis.
	 * @return what stops it
	 */
	AutoCloseable topologyChanges(Runnable action) {
		if (!(this.client.get() instanceof RedisClusterClient cluster)) {
			return () -> {
			};
		}
		Disposable subscription = cluster.getResources()
			.eventBus()
			.get()
			.filter(ClusterTopologyChangedEvent.class::isInstance)
			.subscribe((event) -> action.run());
		return subscription::dispose;
	}

	/** Has the cluster client read the topology again (after a topology change). */
	void refreshTopology() {
		if (this.client.get() instanceof RedisClusterClient cluster) {
			cluster.refreshPartitions();
		}
	}

	/**
	 * The open connection: opened on first use, and again after the factory closed its
	 * shared connection (a reset).
	 */
	OpenedConnection get() {
		OpenedConnection current = this.opened;
		if (current != null && !current.isClosed()) {
			return current;
		}
		synchronized (this.lock) {
			if (this.closed) {
				throw new IllegalStateException("The KV Redis connection has been closed");
			}
			current = this.opened;
			if (current == null || current.isClosed()) {
				// First use, or the factory closed its shared connection (a reset): open
				// again.
				current = open();
				this.opened = current;
				if (this.reconnects == null) {
					this.reconnects = new ReconnectWatch(this.client.get());
				}
			}
			return current;
		}
	}

	/** Whether {@link #close()} was called. */
	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Why the last reconnect failed, while the connection is down; see
	 * {@link ReconnectWatch}.
	 * @return the reason, or {@code null} when none is known
	 */
	@Nullable String reconnectFailure() {
		ReconnectWatch watch = this.reconnects;
		OpenedConnection current = this.opened;
		if (watch == null || current == null) {
			return null;
		}
		// A single connection that is open is not down, whatever another connection of
		// the client went through; a cluster connection stays open while a node is down.
		boolean down = !current.connection().isOpen() || current.connection() instanceof StatefulRedisClusterConnection;
		return down ? watch.lastFailure() : null;
	}

	/** The connection if it is open, without opening it. */
	@Nullable OpenedConnection current() {
		return this.opened;
	}

	// Opens on a thread of its own (within Lettuce's connect timeout), so that a caller
	// interrupted while it waits leaves nothing open behind: a connection that completes
	// after its caller gave up is closed at once.
	private OpenedConnection open() {
		CompletableFuture<OpenedConnection> opening = CompletableFuture.supplyAsync(this.opener, CONNECTING);
		try {
			return opening.get();
		}
		catch (InterruptedException ex) {
			opening.thenAccept((late) -> OpenedConnection.closeQuietly(late.owner()));
			Thread.currentThread().interrupt();
			throw new RedisConnectionFailureException("Interrupted while connecting to Redis (" + this.address
					+ "); the connection is closed should it still open", ex);
		}
		catch (ExecutionException ex) {
			throw RedisErrors.translate(ex);
		}
	}

	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
			OpenedConnection current = this.opened;
			this.opened = null;
			if (current != null) {
				OpenedConnection.closeQuietly(current.owner());
			}
			ReconnectWatch watch = this.reconnects;
			this.reconnects = null;
			if (watch != null) {
				watch.close();
			}
		}
	}

}
