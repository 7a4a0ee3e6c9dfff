package io.kvstore.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The one Lettuce connection that the stores of an application share, opened on first use
 * through a {@link LettuceConnectionFactory}, so it follows every
 * {@code spring.data.redis.*} setting (address, credentials, TLS, timeouts). Commands are
 * pipelined over it by Lettuce; errors are translated to Spring's
 * {@link DataAccessException} hierarchy as Spring Data Redis translates them.
 * <p>
 * An unreachable Redis does not fail construction: the first call that needs Redis fails
 * with a {@link org.springframework.data.redis.RedisConnectionFailureException}, and
 * later calls try to connect again.
 */
@SuppressWarnings("unchecked")
public final class KvRedisConnection implements AutoCloseable {

	private final LazyConnection connection;

	private final String address;

	private final boolean cluster;

	private final ScriptRunner scripts = new ScriptRunner(this);

	private final FallbackCommands fallbacks;

	/**
	 * Creates a connection that the connection factory opens, with every setting of the
	 * factory (credentials, TLS, database, timeouts). With the factory's default of one
	 * shared native connection, the stores use that connection too; otherwise they hold
	 * one dedicated connection of the factory's for their lifetime.
	 * @param connectionFactory a {@link LettuceConnectionFactory}
	 * @throws IllegalArgumentException for any other connection factory
	 */
	public KvRedisConnection(RedisConnectionFactory connectionFactory) {
		this(connectionFactory, RestoreMode.AUTO);
	}

	/**
	 * Creates a connection that the connection factory opens, with the given use of
	 * {@code RESTORE}.
	 * @param connectionFactory a {@link LettuceConnectionFactory}
	 * @param restore whether puts use {@code RESTORE}
	 * @throws IllegalArgumentException for any other connection factory
	 */
	public KvRedisConnection(RedisConnectionFactory connectionFactory, RestoreMode restore) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalArgumentException(
					"KV stores need Spring Data Redis with Lettuce (a LettuceConnectionFactory), "
							+ "but the connection factory is "
							+ ((connectionFactory != null) ? connectionFactory.getClass().getName() : "null"));
		}
		this.address = OpenedConnection.address(lettuce);
		this.cluster = lettuce.getClusterConfiguration() != null;
		this.connection = new LazyConnection(() -> OpenedConnection.open(lettuce), lettuce::getRequiredNativeClient,
				this.address);
		this.fallbacks = new FallbackCommands(this, restore);
	}

	/**
	 * Creates a connection of its own from a Lettuce client that knows its Redis URI
	 * (address and credentials).
	 * @param client a {@link RedisClient} or {@link RedisClusterClient}
	 */
	public KvRedisConnection(AbstractRedisClient client) {
		this(client, RestoreMode.AUTO);
	}

	/**
	 * Creates a connection of its own from a Lettuce client, with the given use of
	 * {@code RESTORE}.
	 * @param client a {@link RedisClient} or {@link RedisClusterClient}
	 * @param restore whether puts use {@code RESTORE}
	 */
	public KvRedisConnection(AbstractRedisClient client, RestoreMode restore) {
		if (client == null) {
			throw new IllegalArgumentException("'client' must not be null");
		}
		this.address = "a Lettuce " + client.getClass().getSimpleName();
		this.cluster = client instanceof RedisClusterClient;
		this.connection = new LazyConnection(() -> OpenedConnection.open(client), () -> client, this.address);
		this.fallbacks = new FallbackCommands(this, restore);
	}

	// ---- the one execution path: every command is sent here and awaited in await() ----

	// Sends a command without waiting; a connection that cannot be opened gives a failed
	// future.
	<T> CompletableFuture<T> send(Function<OpenedConnection, ? extends CompletionStage<T>> command) {
		try {
			return command.apply(opened()).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Sends a write without waiting and, when it must reach replicas, {@code WAIT} right
	 * after it on the same connection, in the same round trip: {@code WAIT} covers every
	 * earlier write of the connection, so also this one (the commands of other threads
	 * that go between them change nothing but what else it covers). Its reply is the
	 * write's, once the replicas have it; fewer replicas within the timeout fail it with
	 * a {@link KvReplicaAckException}. While Redis blocks the connection in {@code WAIT},
	 * the commands behind it on the shared connection wait too.
	 * @param write the write
	 * @param ack how many replicas must have it, or {@code null} for none
	 */
	<T> CompletableFuture<T> send(Function<OpenedConnection, ? extends CompletionStage<T>> write,
			@Nullable ReplicaAck ack) {
		if (ack == null) {
			return send(write);
		}
		return send((opened) -> {
			CompletableFuture<T> written = write.apply(opened).toCompletableFuture();
			CompletableFuture<Long> acknowledged = opened.async()
				.waitForReplication(ack.replicas(), ack.timeoutMillis())
				.toCompletableFuture();
			return written.thenCombine(acknowledged, (reply, replicas) -> {
				ack.check(reply, replicas);
				return reply;
			});
		});
	}

	/**
	 * Whether this is a Redis Cluster connection, known without connecting.
	 */
	boolean isCluster() {
		return this.cluster;
	}

	/**
	 * Waits for a command sent without waiting, within the command timeout, and
	 * translates its failure to Spring's {@link DataAccessException} hierarchy.
	 */
	<T> T await(CompletionStage<T> stage) {
		CompletableFuture<T> future = stage.toCompletableFuture();
		Duration timeout = timeout();
		try {
			return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw RedisErrors.translate(RedisErrors.unwrap(ex));
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw RedisErrors.timedOut(timeout, this.connection.reconnectFailure());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.cancel(true);
			throw new RedisSystemException("Interrupted while waiting for Redis", ex);
		}
	}

	/**
	 * Waits for every command of a batch at once, within one command timeout: the caller
	 * wakes once, not once per reply (which, for a batch of thousands, costs more than
	 * the replies themselves). The replies can then be taken with {@link #await} at no
	 * wait. A failure is the first command's, as {@link #await} gives it; on a timeout
	 * every command still pending is cancelled.
	 */
	void awaitAll(List<? extends CompletableFuture<?>> commands) {
		try {
			await(CompletableFuture.allOf(commands.toArray(CompletableFuture[]::new)));
		}
		catch (DataAccessException ex) {
			commands.forEach((command) -> command.cancel(true));
			throw ex;
		}
	}

	/**
	 * Sends a command built here in the package, without waiting; on a cluster it goes to
	 * the master of its first key's slot.
	 */
	<T> CompletableFuture<T> dispatch(RedisCommand<byte[], byte[], T> command) {
		return send((opened) -> {
			AsyncCommand<byte[], byte[], T> async = new AsyncCommand<>(command);
			opened.connection().dispatch(async);
			return async;
		});
	}

	// ---- commands: what the stores send, as data; only ScriptRunner, FallbackCommands
	// and EntryLister's SCAN send Lettuce commands of their own through send() ----

	/**
	 * {@code HMGET}, sent without waiting: the values of the fields, {@code null} for a
	 * missing field (every one for a missing key).
	 */
	CompletableFuture<byte[][]> hmgetAsync(byte[] key, byte[]... fields) {
		return send((connection) -> connection.async().hmget(key, fields)).thenApply(HashReads::values);
	}

	/**
	 * One {@code HMGET} of the same fields per key, handed to Lettuce as one batch:
	 * written and flushed together, so that they share one round trip (on a cluster, each
	 * master gets its own in parallel).
	 * @return per key, in order, the values of the fields, {@code null} for a missing one
	 */
	List<CompletableFuture<byte[][]>> hmgetAll(List<byte[]> keys, byte[]... fields) {
		List<AsyncCommand<byte[], byte[], List<KeyValue<byte[], byte[]>>>> commands = new ArrayList<>(keys.size());
		for (byte[] key : keys) {
			commands.add(HashReads.hmget(key, fields));
		}
		List<CompletableFuture<byte[][]>> replies = new ArrayList<>(commands.size());
		for (AsyncCommand<byte[], byte[], List<KeyValue<byte[], byte[]>>> command : dispatchAll(commands)) {
			replies.add(command.thenApply(HashReads::values));
		}
		return replies;
	}

	/**
	 * Commands handed to Lettuce as one batch, written and flushed together (on a
	 * cluster, each master gets its own in parallel); a connection that cannot be opened
	 * fails them all.
	 * @return the commands, sent
	 */
	<T> List<AsyncCommand<byte[], byte[], T>> dispatchAll(List<AsyncCommand<byte[], byte[], T>> commands) {
		try {
			opened().connection().dispatch(commands);
		}
		catch (RuntimeException ex) {
			commands.forEach((command) -> command.completeExceptionally(ex));
		}
		return commands;
	}

	/** {@code HMGET}; see {@link #hmgetAsync}. */
	byte[][] hmget(byte[] key, byte[]... fields) {
		return await(hmgetAsync(key, fields));
	}

	/**
	 * {@code DEL} of one key or more (on a cluster split by slot); how many keys existed.
	 */
	long del(byte[]... keys) {
		return await(delAsync(keys));
	}

	/**
	 * {@code DEL} of one key or more that waits for replicas
	 * ({@link #send(Function, ReplicaAck)}).
	 */
	long del(@Nullable ReplicaAck ack, byte[]... keys) {
		return await(send((connection) -> connection.async().del(keys), ack));
	}

	/** {@code DEL}, sent without waiting; see {@link #del}. */
	CompletableFuture<Long> delAsync(byte[]... keys) {
		return send((connection) -> connection.async().del(keys));
	}

	/**
	 * {@code UNLINK} of one key or more (on a cluster split by slot): removed from the
	 * keyspace at once, their memory freed in the background; how many keys existed.
	 */
	long unlink(byte[]... keys) {
		return await(send((connection) -> connection.async().unlink(keys)));
	}

	/** {@code EXISTS} of one key. */
	boolean exists(byte[] key) {
		return await(send((connection) -> connection.async().exists(key))) > 0;
	}

	/** Runs a script and waits for it; see {@link ScriptRunner#evalAsync}. */
	<T> T eval(KvScript script, byte[][] keys, byte[]... args) {
		return await(this.scripts.evalAsync(script, keys, args));
	}

	/**
	 * Runs a script with a chunk, without waiting; see
	 * {@link ScriptRunner#evalChunkAsync}.
	 */
	CompletableFuture<Long> evalChunkAsync(KvScript script, byte[][] keys, byte[][] args, ChunkBuffer chunk) {
		return this.scripts.evalChunkAsync(script, keys, args, chunk);
	}

	/**
	 * Runs a script that writes and waits for it and for replicas; see
	 * {@link ScriptRunner#evalAsync}.
	 */
	<T> T eval(@Nullable ReplicaAck ack, KvScript script, byte[][] keys, byte[]... args) {
		return await(this.scripts.evalAsync(ack, script, keys, args));
	}

	/** Runs a script without waiting; see {@link ScriptRunner#evalAsync}. */
	<T> CompletableFuture<T> evalAsync(KvScript script, byte[][] keys, byte[]... args) {
		return this.scripts.evalAsync(script, keys, args);
	}

	/**
	 * Stages a hash and runs a script over it in one round trip; see
	 * {@link ScriptRunner#stageAndEval}.
	 */
	Long stageAndEval(byte[] staged, byte[][] fields, long stagingMillis, KvScript script, byte[][] keys,
			byte[]... args) {
		return stageAndEval(null, staged, fields, stagingMillis, script, keys, args);
	}

	/**
	 * Stages a hash and runs a script over it in one round trip, then waits for replicas;
	 * see {@link ScriptRunner#stageAndEval}.
	 */
	Long stageAndEval(@Nullable ReplicaAck ack, byte[] staged, byte[][] fields, long stagingMillis, KvScript script,
			byte[][] keys, byte[]... args) {
		return this.scripts.stageAndEval(ack, staged, fields, stagingMillis, script, keys, args);
	}

	/** The commands that a Redis may refuse or lack, with their fallbacks. */
	FallbackCommands fallbacks() {
		return this.fallbacks;
	}

	/**
	 * Opens a connection of its own, for a near cache's invalidation channel; see
	 * {@link LazyConnection#openDedicated()}.
	 */
	io.lettuce.core.api.StatefulConnection<byte[], byte[]> openDedicated() {
		return this.connection.openDedicated();
	}

	/**
	 * Runs an action on every topology change of a cluster; see
	 * {@link LazyConnection#topologyChanges}.
	 */
	AutoCloseable topologyChanges(Runnable action) {
		return this.connection.topologyChanges(action);
	}

	/** Has a cluster client read the topology again; nothing on a single Redis. */
	void refreshTopology() {
		this.connection.refreshTopology();
	}

	/**
	 * Where this connection goes, for the start-up log: {@code host:port}, or the
	 * cluster's seed nodes.
	 */
	String describe() {
		return this.address;
	}

	Duration timeout() {
		OpenedConnection current = this.connection.current();
		return (current != null) ? current.timeout() : opened().timeout();
	}

	// The open connection, opened on first use; EntryLister asks it for the masters.
	OpenedConnection opened() {
		return this.connection.get();
	}

	/**
	 * Closes the connection; the Lettuce client stays open (it belongs to the connection
	 * factory).
	 */
	@Override
	public void close() {
		this.connection.close();
	}

}
