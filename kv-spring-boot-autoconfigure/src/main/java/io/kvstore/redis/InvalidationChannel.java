package io.kvstore.redis;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ProtocolVersion;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The invalidation channel of one store's near cache: a connection of its own with
 * {@code CLIENT TRACKING ON} (default mode, RESP3), over which the near cache sends the
 * reads that may fill it. Redis remembers the keys that connection read and pushes an
 * {@code invalidate} message on that same connection when one changes (or is deleted,
 * expires or is evicted; {@code null} for a flush). Because the push travels on the
 * connection that read, it reaches the client before the reply to any later command on
 * it.
 * <p>
 * <b>Cluster.</b> On Redis Cluster the channel opens a cluster connection of its own and
 * one tracking connection to each master through it; a key is read over the connection of
 * the master that owns its slot (as the topology was when the channel opened), so the
 * ordering above holds per key. A topology change that Lettuce reports, a redirected
 * ({@code MOVED}, {@code ASK}) or failed read, or a lost node connection takes the whole
 * channel down; it reopens after reading the topology again.
 * <p>
 * <b>Up and down.</b> The channel is usable only while its connection is open and
 * answered a {@code PING} sent less than the command timeout ago (a heartbeat pings every
 * quarter of it, at most every second). A disconnect, a failed read or a late
 * {@code PING} takes it down; the heartbeat then opens a new connection. The
 * {@link Listener} hears {@link Listener#invalidatedAll()} whenever the channel goes down
 * and again once a new connection has tracking on, before that connection is used.
 */
final class InvalidationChannel implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(InvalidationChannel.class);

	/** What the channel tells its near cache. */
	interface Listener {

		/** Redis said this entry key changed. */
		void invalidated(byte[] entryKey);

		/** Anything may have changed: a flush, or the channel went down or up. */
		void invalidatedAll();

	}

	private final String store;

	private final KvRedisConnection redis;

	private final Listener listener;

	private final AtomicLong invalidations = new AtomicLong();

	private final AtomicLong connects = new AtomicLong();

	private final Object lock = new Object();

	private final ScheduledExecutorService heartbeat;

	// Set only by connect(), cleared only by a compare-and-set in down(), which runs on
	// Lettuce's event loop too and so must never wait for a lock that connect() holds
	// while it waits for that event loop.
	private final AtomicReference<@Nullable TrackingLink> link = new AtomicReference<>();

	private volatile @Nullable AutoCloseable topology;

	private volatile boolean started;

	private volatile boolean closed;

	private volatile boolean warned;

	InvalidationChannel(String store, KvRedisConnection redis, Listener listener) {
		this.store = store;
		this.redis = redis;
		this.listener = listener;
		this.heartbeat = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "kv-near-cache-" + store);
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * The link when the near cache may answer: up, and its last {@code PING} answered
	 * within the command timeout; {@code null} otherwise. The first call opens it.
	 */
	@Nullable TrackingLink usable() {
		TrackingLink current = this.link.get();
		if (current == null && !this.started) {
			start();
			current = this.link.get();
		}
		if (current == null) {
			return null;
		}
		if (System.nanoTime() - current.lastPongNanos() >= current.timeoutNanos) {
			return null;
		}
		return current;
	}

	/** Whether this link is still the channel's, so what was read over it may be kept. */
	boolean isCurrent(TrackingLink link) {
		return this.link.get() == link;
	}

	/** Whether the channel is up and fresh, so that the near cache may answer. */
	boolean isUp() {
		return usable() != null;
	}

	/** How many invalidation messages Redis pushed, for tests. */
	long invalidations() {
		return this.invalidations.get();
	}

	/** How often the channel was opened, for tests. */
	long connects() {
		return this.connects.get();
	}

	/**
	 * The client IDs of the channel's connections by node address ({@code host:port}),
	 * for tests; empty while it is down.
	 */
	Map<String, Long> channelIds() {
		TrackingLink current = this.link.get();
		Map<String, Long> ids = new LinkedHashMap<>();
		if (current != null) {
			current.nodes.values().forEach((node) -> ids.put(node.address, node.clientId));
		}
		return ids;
	}

	/**
	 * The client ID of the channel's connection to a single Redis, for tests; -1 while it
	 * is down.
	 */
	long channelId() {
		Map<String, Long> ids = channelIds();
		return ids.isEmpty() ? -1 : ids.values().iterator().next();
	}

	private void onPush(PushMessage message) {
		if (!"invalidate".equals(message.getType())) {
			return;
		}
		List<Object> content = message.getContent(InvalidationChannel::bytes);
		this.invalidations.incrementAndGet();
		Object keys = (content.size() > 1) ? content.get(1) : null;
		if (keys instanceof List<?> list) {
			for (Object key : list) {
				if (key instanceof byte[] bytes) {
					this.listener.invalidated(bytes);
				}
			}
		}
		else {
			// A flush (FLUSHALL / FLUSHDB), or Redis forgot what this connection read.
			this.listener.invalidatedAll();
		}
	}

	private static Object bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	private void start() {
		synchronized (this.lock) {
			if (this.started || this.closed) {
				return;
			}
			this.started = true;
			connect();
			long interval = Math.max(10, Math.min(1000, this.redis.timeout().toMillis() / 4));
			this.heartbeat.scheduleWithFixedDelay(this::beat, interval, interval, TimeUnit.MILLISECONDS);
		}
	}

	private void beat() {
		try {
			TrackingLink current = this.link.get();
			if (this.closed) {
				return;
			}
			if (current == null) {
				connect();
				return;
			}
			if (System.nanoTime() - current.lastPongNanos() >= current.timeoutNanos) {
				down(current, "no answer to PING within the command timeout ("
						+ Duration.ofNanos(current.timeoutNanos).toMillis() + " ms)");
				return;
			}
			for (TrackingNode node : current.nodes.values()) {
				if (node.pingInFlight.compareAndSet(false, true)) {
					long sent = System.nanoTime();
					node.connection.async().ping().whenComplete((pong, failure) -> {
						node.pingInFlight.set(false);
						if (failure == null) {
							// Every push Redis sent before it ran this PING has arrived.
							node.lastPongNanos = Math.max(node.lastPongNanos, sent);
						}
					});
				}
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Near cache heartbeat of store '" + this.store + "' failed", ex);
		}
	}

	// Opens the connections, turns tracking on, empties the cache and then lets it
	// answer.
	private void connect() {
		synchronized (this.lock) {
			if (this.closed || this.link.get() != null) {
				return;
			}
			StatefulConnection<byte[], byte[]> owner = null;
			Map<String, TrackingNode> nodes = new LinkedHashMap<>();
			try {
				if (this.connects.get() > 0) {
					this.redis.refreshTopology();
				}
				owner = this.redis.openDedicated();
				if (this.topology == null) {
					this.topology = this.redis.topologyChanges(() -> {
						TrackingLink current = this.link.get();
						if (current != null && current.partitions != null) {
							down(current, "the cluster's topology changed");
						}
					});
				}
				if (owner.getOptions().getConfiguredProtocolVersion() == ProtocolVersion.RESP2) {
					warnOnce("the Lettuce client is configured for RESP2, which has no invalidation messages: every "
							+ "read of store '" + this.store + "' goes to Redis (cacheStatus MISS)");
					owner.close();
					return;
				}
				long sent = System.nanoTime();
				Partitions partitions = null;
				if (owner instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
					partitions = cluster.getPartitions();
					for (RedisClusterNode master : partitions) {
						if (master.is(RedisClusterNode.NodeFlag.UPSTREAM) && !master.getSlots().isEmpty()) {
							String address = master.getUri().getHost() + ":" + master.getUri().getPort();
							nodes.put(master.getNodeId(),
									track(address, cluster.getConnection(master.getNodeId()), sent));
						}
					}
				}
				else {
					@SuppressWarnings("unchecked")
					StatefulRedisConnection<byte[], byte[]> single = (StatefulRedisConnection<byte[], byte[]>) owner;
					nodes.put("", track("", single, sent));
				}
				TrackingLink opened = new TrackingLink(owner, partitions, nodes);
				for (TrackingNode node : nodes.values()) {
					((RedisChannelHandler<?, ?>) node.connection).addListener(new RedisConnectionStateListener() {
						@Override
						public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
							down(opened, "its connection to " + describe(node) + " was lost");
						}
					});
				}
				this.listener.invalidatedAll();
				this.link.set(opened);
				this.connects.incrementAndGet();
				for (TrackingNode node : nodes.values()) {
					if (!node.connection.isOpen()) {
						down(opened, "its connection to " + describe(node) + " was lost while tracking was turned on");
						return;
					}
				}
				if (this.warned) {
					logger.info("Near cache of store '" + this.store + "': invalidation channel is up again");
				}
				this.warned = false;
			}
			catch (RuntimeException ex) {
				if (owner != null) {
					owner.closeAsync();
				}
				warnOnce("Near cache of store '" + this.store + "' cannot open its invalidation channel ("
						+ RedisErrors.rootMessage(ex) + "); reads go to Redis until it can");
			}
		}
	}

	// Listens for invalidations on a node's connection and turns tracking on.
	private TrackingNode track(String address, StatefulRedisConnection<byte[], byte[]> connection, long sent) {
		long id = this.redis.await(connection.async().clientId());
		connection.addListener((PushListener) this::onPush);
		this.redis.await(connection.async().clientTracking(TrackingArgs.Builder.enabled()));
		return new TrackingNode(address, connection, id, sent);
	}

	private static String describe(TrackingNode node) {
		return node.address.isEmpty() ? "Redis" : node.address;
	}

	private void warnOnce(String message) {
		if (!this.warned) {
			this.warned = true;
			logger.warn(message);
		}
	}

	/**
	 * Takes the channel down if this link is still its own: the near cache is emptied and
	 * answers nothing until the heartbeat opened a new one.
	 * @param link the link that failed
	 * @param reason why, for the log
	 */
	void down(TrackingLink link, String reason) {
		if (this.link.compareAndSet(link, null)) {
			this.listener.invalidatedAll();
			if (!this.closed) {
				warnOnce("Near cache of store '" + this.store + "': invalidation channel is down (" + reason
						+ "); reads go to Redis until it is up again");
			}
		}
		link.closeAsync();
	}

	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
		}
		this.heartbeat.shutdownNow();
		AutoCloseable topology = this.topology;
		if (topology != null) {
			try {
				topology.close();
			}
			catch (Exception ex) {
				logger.debug("Near cache of store '" + this.store + "': topology listener did not close", ex);
			}
		}
		TrackingLink current = this.link.get();
		if (current != null) {
			down(current, "closed");
		}
	}

}
