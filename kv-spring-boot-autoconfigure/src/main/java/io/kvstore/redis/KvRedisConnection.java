package io.kvstore.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;

/**
 * The one Lettuce connection that the stores of an application share, opened on first use
 * through a {@link LettuceConnectionFactory}, so it follows every
 * {@code spring.data.redis.*} setting (address, credentials, TLS, timeouts). Commands are
 * pipelined over it by Lettuce; errors are translated to Spring's
 * {@link DataAccessException} hierarchy as Spring Data Redis translates them.
 * <p>
 * An unreachable Redis does not fail construction: the first call that needs Redis fails
 * with a {@link org.springframework.data.redis.RedisConnectionFailureException}, and later
 * calls try to connect again.
 */
@SuppressWarnings("unchecked")
public final class KvRedisConnection implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(KvRedisConnection.class);

	private static final LettuceExceptionConverter EXCEPTION_CONVERTER = new LettuceExceptionConverter();

	private static final List<String> SINGLE_NODE = List.of("");

	private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

	private final Supplier<Opened> opener;

	private final Object lock = new Object();

	private volatile @Nullable Opened opened;

	private volatile boolean closed;

	private volatile boolean restoreRefused;

	private final String address;

	/**
	 * Creates a connection that the connection factory opens, with every setting of the
	 * factory (credentials, TLS, database, timeouts). With the factory's default of one
	 * shared native connection, the stores use that connection too; otherwise they hold one
	 * dedicated connection of the factory's for their lifetime.
	 * @param connectionFactory a {@link LettuceConnectionFactory}
	 * @throws IllegalArgumentException for any other connection factory
	 */
	public KvRedisConnection(RedisConnectionFactory connectionFactory) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalArgumentException("KV stores need Spring Data Redis with Lettuce (a LettuceConnectionFactory), "
					+ "but the connection factory is " + ((connectionFactory != null) ? connectionFactory.getClass().getName() : "null"));
		}
		this.opener = () -> open(lettuce);
		this.address = address(lettuce);
	}

	/**
	 * Creates a connection of its own from a Lettuce client that knows its Redis URI
	 * (address and credentials).
	 * @param client a {@link RedisClient} or {@link RedisClusterClient}
	 */
	public KvRedisConnection(AbstractRedisClient client) {
		if (client == null) {
			throw new IllegalArgumentException("'client' must not be null");
		}
		this.opener = () -> open(client);
		this.address = "a Lettuce " + client.getClass().getSimpleName();
	}

	private static String address(LettuceConnectionFactory factory) {
		if (factory.getClusterConfiguration() != null) {
			return "cluster " + factory.getClusterConfiguration().getClusterNodes();
		}
		if (factory.getSentinelConfiguration() != null) {
			return "sentinel master '" + factory.getSentinelConfiguration().getMaster() + "'";
		}
		return factory.getHostName() + ":" + factory.getPort();
	}

	// ---- the one execution path: every command is sent here and awaited in await() ----

	// Sends a command without waiting; a connection that cannot be opened gives a failed future.
	private <T> CompletableFuture<T> send(Function<Opened, ? extends CompletionStage<T>> command) {
		try {
			return command.apply(opened()).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Waits for a command sent without waiting, within the command timeout, and translates
	 * its failure to Spring's {@link DataAccessException} hierarchy.
	 */
	<T> T await(CompletionStage<T> stage) {
		CompletableFuture<T> future = stage.toCompletableFuture();
		Duration timeout = timeout();
		try {
			return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw translate(unwrap(ex));
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw translate(new RedisCommandTimeoutException("Command timed out after " + timeout));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.cancel(true);
			throw new RedisSystemException("Interrupted while waiting for Redis", ex);
		}
	}

	// ---- commands: what the stores send, as data; no Lettuce command interface leaves this class ----

	/**
	 * {@code HMGET}, sent without waiting: the values of the fields, {@code null} for a
	 * missing field (every one for a missing key).
	 */
	CompletableFuture<byte[][]> hmgetAsync(byte[] key, byte[]... fields) {
		return send((connection) -> connection.async().hmget(key, fields)).thenApply(KvRedisConnection::values);
	}

	/** {@code HMGET}; see {@link #hmgetAsync}. */
	byte[][] hmget(byte[] key, byte[]... fields) {
		return await(hmgetAsync(key, fields));
	}

	/** {@code DEL} of one key or more (on a cluster split by slot); how many keys existed. */
	long del(byte[]... keys) {
		return await(send((connection) -> connection.async().del(keys)));
	}

	/** {@code EXISTS} of one key. */
	boolean exists(byte[] key) {
		return await(send((connection) -> connection.async().exists(key))) > 0;
	}

	/**
	 * Runs a script and waits for it; see {@link #evalAsync}.
	 */
	<T> T eval(KvScript script, byte[][] keys, byte[]... args) {
		return await(evalAsync(script, keys, args));
	}

	/**
	 * Runs a script by its SHA-1 without waiting. When Redis does not know the script
	 * ({@code NOSCRIPT}), its source is sent once; when a cluster resharding refuses it
	 * (scripts check before they write, so nothing changed), it is tried again until the slot
	 * has moved, within one command timeout.
	 */
	<T> CompletableFuture<T> evalAsync(KvScript script, byte[][] keys, byte[]... args) {
		return runScript(script, keys, args, 1, 0);
	}

	private <T> CompletableFuture<T> runScript(KvScript script, byte[][] keys, byte[][] args, int attempt, long deadline) {
		CompletableFuture<T> sent = this.<T>send((connection) -> connection.async()
			.evalsha(script.sha(), script.output(), keys, args))
			.exceptionallyCompose((failure) -> anyCause(failure, RedisNoScriptException.class::isInstance)
					? send((connection) -> connection.async().<T>eval(script.source(), script.output(), keys, args))
					: CompletableFuture.failedFuture(failure));
		return retryWhileResharding(sent, attempt, deadline,
				(next, until) -> runScript(script, keys, args, next, until));
	}

	// Should a cluster resharding refuse the command, runs it again after a short pause,
	// until one command timeout after the first refusal. Only a resharding reads the clock.
	private <T> CompletableFuture<T> retryWhileResharding(CompletableFuture<T> sent, int attempt, long deadline,
			Retry<T> retry) {
		return sent.exceptionallyCompose((failure) -> {
			if (!isResharding(failure)) {
				return CompletableFuture.failedFuture(failure);
			}
			long until = (attempt == 1) ? System.nanoTime() + timeout().toNanos() : deadline;
			if (System.nanoTime() > until) {
				return CompletableFuture.failedFuture(failure);
			}
			Executor later = CompletableFuture.delayedExecutor(Math.min(50, attempt * 5L), TimeUnit.MILLISECONDS);
			return CompletableFuture.supplyAsync(() -> retry.run(attempt + 1, until), later)
				.thenCompose(Function.identity());
		});
	}

	// While a Redis Cluster moves a slot, a script whose keys are split between the two
	// nodes is refused (TRYAGAIN, or a key that is no longer local).
	private static boolean isResharding(Throwable ex) {
		return anyCause(ex, (cause) -> cause.getMessage() != null
				&& (cause.getMessage().startsWith("TRYAGAIN") || cause.getMessage().contains("non local key")));
	}

	// Whether the exception or any of its causes passes the test.
	private static boolean anyCause(Throwable ex, Predicate<Throwable> test) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (test.test(cause)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Stages a hash and runs a script over it in one round trip: {@code HSET} of the fields,
	 * {@code PEXPIRE} of the staging expiry and {@code EVALSHA}, handed to Lettuce as one
	 * batch, so they are flushed together, in order (Lettuce writes them one by one, so other
	 * threads' commands may go between them, which changes nothing). The field values travel as plain
	 * {@code HSET} arguments, which Redis copies once (a script argument would be copied into
	 * Lua and back). When Redis does not know the script, or a cluster resharding refuses it,
	 * the script alone is run again as {@link #evalAsync} runs it.
	 * @param staged the key of the hash to stage, in the same cluster slot as the script's keys
	 * @param fields field names and values, alternating
	 * @param stagingMillis the expiry of the staged hash, should the script never run
	 * @param script a script with an integer reply
	 * @param keys the script's keys
	 * @param args the script's arguments
	 * @return the script's reply
	 */
	Long stageAndEval(byte[] staged, byte[][] fields, long stagingMillis, KvScript script, byte[][] keys,
			byte[]... args) {
		CommandArgs<byte[], byte[]> hsetArgs = new CommandArgs<>(CODEC).addKey(staged);
		for (byte[] field : fields) {
			hsetArgs.add(field);
		}
		AsyncCommand<byte[], byte[], Long> hset = new AsyncCommand<>(
				new Command<>(CommandType.HSET, new IntegerOutput<>(CODEC), hsetArgs));
		AsyncCommand<byte[], byte[], Boolean> pexpire = new AsyncCommand<>(new Command<>(CommandType.PEXPIRE,
				new BooleanOutput<>(CODEC), new CommandArgs<>(CODEC).addKey(staged).add(stagingMillis)));
		AsyncCommand<byte[], byte[], Long> evalsha = new AsyncCommand<>(new Command<>(CommandType.EVALSHA,
				new IntegerOutput<>(CODEC),
				new CommandArgs<>(CODEC).add(script.sha()).add(keys.length).addKeys(keys).addValues(args)));
		await(send((connection) -> {
			connection.connection().dispatch(List.of(hset, pexpire, evalsha));
			return hset;
		}));
		await(pexpire);
		return await(evalsha.toCompletableFuture()
			.exceptionallyCompose((failure) -> (anyCause(failure, RedisNoScriptException.class::isInstance)
					|| isResharding(failure)) ? evalAsync(script, keys, args) : CompletableFuture.failedFuture(failure)));
	}

	/**
	 * Replaces a key with a serialized value, {@code RESTORE key ttl payload REPLACE}, with
	 * {@code ABSTTL} when it expires.
	 * @param key the key
	 * @param payload the value in {@code DUMP} form
	 * @param expireAtMillis the expiry instant in epoch milliseconds, or 0 for none
	 * @return false, having changed nothing, when Redis refuses {@code RESTORE} itself (an ACL
	 * without it, or the command renamed away); it is not tried again on this connection, and
	 * the first refusal is logged
	 */
	boolean restore(byte[] key, byte[] payload, long expireAtMillis) {
		if (this.restoreRefused) {
			return false;
		}
		RestoreArgs args = RestoreArgs.Builder.ttl(expireAtMillis).replace();
		if (expireAtMillis > 0) {
			args.absttl();
		}
		try {
			await(send((connection) -> connection.async().restore(key, payload, args)));
			return true;
		}
		catch (DataAccessException ex) {
			if (anyCause(ex, KvRedisConnection::refusesRestore)) {
				if (!this.restoreRefused) {
					this.restoreRefused = true;
					logger.warn("Redis refused RESTORE (" + rootMessage(ex) + "); puts of small values use scripts "
							+ "from now on, which costs Redis more time per put (README, design notes)");
				}
				return false;
			}
			throw ex;
		}
	}

	// "NOPERM ... no permissions to run the 'restore' command" (an ACL without RESTORE; not a
	// key the ACL denies, which a script would meet as well), "ERR unknown command 'RESTORE'"
	// (renamed away, as some managed services do), or a payload this server does not read
	// (a Redis-compatible server with another serialization).
	static boolean refusesRestore(Throwable ex) {
		String message = ex.getMessage();
		if (message == null) {
			return false;
		}
		String lower = message.toLowerCase(java.util.Locale.ROOT);
		return (lower.startsWith("noperm") && lower.contains("'restore'"))
				|| (lower.startsWith("err unknown command") && lower.contains("restore"))
				|| lower.contains("payload version or checksum are wrong") || lower.startsWith("err bad data format");
	}

	/**
	 * The IDs of the masters to scan, in a stable order: the cluster's masters sorted by node
	 * ID, or one empty ID for a single Redis.
	 */
	List<String> scanNodes() {
		Opened current = opened();
		if (!(current.connection() instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster)) {
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
	 * One {@code SCAN} step on one node ({@link #scanNodes()}) over the hashes that match a
	 * pattern.
	 * @param node the node's ID, empty on a single Redis
	 * @param cursor the scan cursor, {@code 0} to start
	 * @param pattern the {@code MATCH} pattern
	 * @param count the {@code COUNT} hint
	 * @return the keys found and where the scan stands
	 */
	ScanStep scan(String node, String cursor, byte[] pattern, long count) {
		KeyScanArgs args = new KeyScanArgs();
		args.type("hash");
		args.match(pattern);
		args.limit(count);
		KeyScanCursor<byte[]> step = await(send((connection) -> {
			if (connection.connection() instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
				return cluster.getConnection(node).async().scan(ScanCursor.of(cursor), args);
			}
			return connection.async().scan(ScanCursor.of(cursor), args);
		}));
		return new ScanStep(step.getKeys(), step.getCursor(), step.isFinished());
	}

	/**
	 * What one {@code SCAN} step found.
	 *
	 * @param keys the keys
	 * @param cursor the cursor to go on with
	 * @param finished whether the scan of the node has ended
	 */
	record ScanStep(List<byte[]> keys, String cursor, boolean finished) {
	}

	/**
	 * Where this connection goes, for the start-up log: {@code host:port}, or the cluster's
	 * seed nodes.
	 */
	String describe() {
		return this.address;
	}

	private Duration timeout() {
		Opened current = this.opened;
		return (current != null) ? current.timeout() : opened().timeout();
	}

	private static byte[][] values(List<KeyValue<byte[], byte[]>> fields) {
		byte[][] values = new byte[fields.size()][];
		for (int i = 0; i < values.length; i++) {
			KeyValue<byte[], byte[]> field = fields.get(i);
			values[i] = field.hasValue() ? field.getValue() : null;
		}
		return values;
	}

	private static Throwable unwrap(Throwable ex) {
		Throwable cause = ex;
		while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@FunctionalInterface
	private interface Retry<T> {

		CompletableFuture<T> run(int attempt, long deadline);

	}

	private static DataAccessException translate(Throwable failure) {
		Throwable ex = unwrap(failure);
		if (ex instanceof DataAccessException dataAccess) {
			return dataAccess;
		}
		if (ex instanceof Exception exception) {
			DataAccessException translated = EXCEPTION_CONVERTER.convert(exception);
			if (translated != null) {
				return translated;
			}
		}
		return new RedisSystemException("Redis command failed: " + ex.getMessage(), ex);
	}

	private Opened opened() {
		Opened current = this.opened;
		if (current != null && !current.isClosed()) {
			return current;
		}
		synchronized (this.lock) {
			if (this.closed) {
				throw new IllegalStateException("The KV Redis connection has been closed");
			}
			current = this.opened;
			if (current == null || current.isClosed()) {
				// First use, or the factory closed its shared connection (a reset): open again.
				current = this.opener.get();
				loadScripts(current);
				this.opened = current;
			}
			return current;
		}
	}

	// Load the scripts once (on a cluster, into every node), so that the first call of each
	// script on each node is one EVALSHA, not EVALSHA, NOSCRIPT and EVAL. A node that
	// restarts forgets them; eval() still falls back to EVAL then.
	private static void loadScripts(Opened opened) {
		try {
			for (KvScript script : EntryScripts.ALL) {
				opened.sync().scriptLoad(script.source());
			}
		}
		catch (RuntimeException ex) {
			// Not fatal: a script is sent with EVAL when Redis asks for it.
			logger.warn("Could not load the KV scripts into Redis (" + rootMessage(ex) + "); each is sent with EVAL "
					+ "the first time Redis asks for it");
		}
	}

	private static Opened open(LettuceConnectionFactory factory) {
		RedisConnection connection = null;
		try {
			connection = factory.getConnection();
			Object commands = connection.getNativeConnection();
			if (commands instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster) {
				return opened(connection, (StatefulRedisClusterConnection<byte[], byte[]>) cluster.getStatefulConnection());
			}
			if (commands instanceof RedisAsyncCommands<?, ?> standalone) {
				return opened(connection, (StatefulRedisConnection<byte[], byte[]>) standalone.getStatefulConnection());
			}
			throw new IllegalStateException("Unsupported Lettuce connection " + commands.getClass().getName());
		}
		catch (RuntimeException ex) {
			closeQuietly(connection);
			throw connectionFailure(ex);
		}
	}

	private static Opened open(AbstractRedisClient client) {
		try {
			if (client instanceof RedisClusterClient cluster) {
				StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE);
				return opened(connection, connection);
			}
			if (client instanceof RedisClient standalone) {
				StatefulRedisConnection<byte[], byte[]> connection = standalone.connect(ByteArrayCodec.INSTANCE);
				return opened(connection, connection);
			}
			throw new IllegalStateException("Unsupported Lettuce client " + client.getClass().getName());
		}
		catch (RuntimeException ex) {
			throw connectionFailure(ex);
		}
	}

	private static Opened opened(AutoCloseable owner, StatefulConnection<byte[], byte[]> connection) {
		if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
			return new Opened(owner, connection, cluster.sync(), cluster.async(), connection.getTimeout());
		}
		StatefulRedisConnection<byte[], byte[]> standalone = (StatefulRedisConnection<byte[], byte[]>) connection;
		return new Opened(owner, connection, standalone.sync(), standalone.async(), connection.getTimeout());
	}

	// Say why in the message itself (a refused connection, a wrong password, TLS): the
	// translated exception alone reads "Unable to connect to Redis".
	private static DataAccessException connectionFailure(RuntimeException ex) {
		return new RedisConnectionFailureException("Cannot connect to Redis: " + rootMessage(ex), ex);
	}

	private static void closeQuietly(@Nullable AutoCloseable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// Closing what failed to open: nothing more to do.
			}
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return (message != null && !message.isBlank()) ? message : root.getClass().getSimpleName();
	}

	/**
	 * Closes the connection; the Lettuce client stays open (it belongs to the connection
	 * factory).
	 */
	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
			Opened current = this.opened;
			this.opened = null;
			if (current != null) {
				closeQuietly(current.owner());
			}
		}
	}

	/**
	 * An open connection and what closes it: the connection itself when it is ours, the
	 * factory's connection wrapper when the factory opened it.
	 */
	private record Opened(AutoCloseable owner, StatefulConnection<byte[], byte[]> connection,
			RedisClusterCommands<byte[], byte[]> sync, RedisClusterAsyncCommands<byte[], byte[]> async, Duration timeout) {


		boolean isClosed() {
			return this.connection instanceof RedisChannelHandler<?, ?> handler && handler.isClosed();
		}

	}

}
