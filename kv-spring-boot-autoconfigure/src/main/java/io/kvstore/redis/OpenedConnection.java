package io.kvstore.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * An open Lettuce connection of {@link KvRedisConnection}, and what closes it: the
 * connection itself when it is ours, the factory's connection wrapper when the factory
 * opened it. Opening one loads the scripts.
 *
 * @param owner what closes the connection
 * @param connection the Lettuce connection, single or cluster
 * @param sync its blocking commands (for loading the scripts)
 * @param async its asynchronous commands
 * @param timeout its command timeout
 */
@SuppressWarnings("unchecked")
record OpenedConnection(AutoCloseable owner, StatefulConnection<byte[], byte[]> connection,
		RedisClusterCommands<byte[], byte[]> sync, RedisClusterAsyncCommands<byte[], byte[]> async, Duration timeout) {

	private static final Log logger = LogFactory.getLog(KvRedisConnection.class);

	private static final List<String> SINGLE_NODE = List.of("");

	boolean isClosed() {
		return this.connection instanceof RedisChannelHandler<?, ?> handler && handler.isClosed();
	}

	/**
	 * The IDs of the masters, sorted: the cluster's masters that serve slots, or one
	 * empty ID for a single Redis.
	 */
	List<String> masters() {
		if (!(this.connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster)) {
			return SINGLE_NODE;
		}
		List<String> masters = new ArrayList<>();
		for (RedisClusterNode node : cluster.getPartitions()) {
			if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
				masters.add(node.getNodeId());
			}
		}
		Collections.sort(masters);
		return masters;
	}

	/**
	 * The commands of one node of {@link #masters()}: of the master with that ID on a
	 * cluster, of the one Redis otherwise.
	 */
	RedisClusterAsyncCommands<byte[], byte[]> node(String id) {
		if (this.connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
			return cluster.getConnection(id).async();
		}
		return this.async;
	}

	/**
	 * Where a connection factory connects, for the start-up log: {@code host:port}, the
	 * cluster's seed nodes, or the sentinel master.
	 */
	static String address(LettuceConnectionFactory factory) {
		if (factory.getClusterConfiguration() != null) {
			return "cluster " + factory.getClusterConfiguration().getClusterNodes();
		}
		if (factory.getSentinelConfiguration() != null) {
			return "sentinel master '" + factory.getSentinelConfiguration().getMaster() + "'";
		}
		return factory.getHostName() + ":" + factory.getPort();
	}

	// Load the scripts once (on a cluster, into every node), so that the first call of
	// each script on each node is one EVALSHA, not EVALSHA, NOSCRIPT and EVAL. A node
	// that restarts forgets them; eval() still falls back to EVAL then.
	private static OpenedConnection loaded(OpenedConnection opened) {
		try {
			for (KvScript script : EntryScripts.ALL) {
				opened.sync().scriptLoad(script.source());
			}
		}
		catch (RuntimeException ex) {
			// Not fatal: a script is sent with EVAL when Redis asks for it.
			logger.warn("Could not load the KV scripts into Redis (" + RedisErrors.rootMessage(ex)
					+ "); each is sent with EVAL " + "the first time Redis asks for it");
		}
		return opened;
	}

	static OpenedConnection open(LettuceConnectionFactory factory) {
		RedisConnection connection = null;
		try {
			connection = factory.getConnection();
			Object commands = connection.getNativeConnection();
			if (commands instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster) {
				return loaded(opened(connection,
						(StatefulRedisClusterConnection<byte[], byte[]>) cluster.getStatefulConnection()));
			}
			if (commands instanceof RedisAsyncCommands<?, ?> standalone) {
				return loaded(opened(connection,
						(StatefulRedisConnection<byte[], byte[]>) standalone.getStatefulConnection()));
			}
			throw new IllegalStateException("Unsupported Lettuce connection " + commands.getClass().getName());
		}
		catch (RuntimeException ex) {
			closeQuietly(connection);
			throw RedisErrors.connectionFailure(ex);
		}
	}

	static OpenedConnection open(AbstractRedisClient client) {
		try {
			if (client instanceof RedisClusterClient cluster) {
				StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE);
				return loaded(opened(connection, connection));
			}
			if (client instanceof RedisClient standalone) {
				StatefulRedisConnection<byte[], byte[]> connection = standalone.connect(ByteArrayCodec.INSTANCE);
				return loaded(opened(connection, connection));
			}
			throw new IllegalStateException("Unsupported Lettuce client " + client.getClass().getName());
		}
		catch (RuntimeException ex) {
			throw RedisErrors.connectionFailure(ex);
		}
	}

	private static OpenedConnection opened(AutoCloseable owner, StatefulConnection<byte[], byte[]> connection) {
		if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
			return new OpenedConnection(owner, connection, cluster.sync(), cluster.async(), connection.getTimeout());
		}
		StatefulRedisConnection<byte[], byte[]> standalone = (StatefulRedisConnection<byte[], byte[]>) connection;
		return new OpenedConnection(owner, connection, standalone.sync(), standalone.async(), connection.getTimeout());
	}

	static void closeQuietly(@Nullable AutoCloseable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// Closing what failed to open: nothing more to do.
			}
		}
	}

}
