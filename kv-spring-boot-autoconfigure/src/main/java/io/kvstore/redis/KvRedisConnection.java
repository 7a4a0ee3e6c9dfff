package io.kvstore.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.cluster.RedisClusterClient;
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
 * with a {@link org.springframework.data.redis.RedisConnectionFailureException}, and later
 * calls try to connect again.
 */
@SuppressWarnings("unchecked")
public final class KvRedisConnection implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(KvRedisConnection.class);

	private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

	private final Supplier<OpenedConnection> opener;

	private final Object lock = new Object();

	private volatile @Nullable OpenedConnection opened;

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
		this.opener = () -> OpenedConnection.open(lettuce);
		this.address = OpenedConnection.address(lettuce);
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
		this.opener = () -> OpenedConnection.open(client);
		this.address = "a Lettuce " + client.getClass().getSimpleName();
	}

	// ---- the one execution path: every command is sent here and awaited in await() ----

	// Sends a command without waiting; a connection that cannot be opened gives a failed future.
	private <T> CompletableFuture<T> send(Function<OpenedConnection, ? extends CompletionStage<T>> command) {
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
			throw RedisErrors.translate(RedisErrors.unwrap(ex));
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw RedisErrors.translate(new RedisCommandTimeoutException("Command timed out after " + timeout));
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
			.exceptionallyCompose((failure) -> RedisErrors.isNoScript(failure)
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
			if (!RedisErrors.isResharding(failure)) {
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
			.exceptionallyCompose((failure) -> (RedisErrors.isNoScript(failure)
					|| RedisErrors.isResharding(failure)) ? evalAsync(script, keys, args) : CompletableFuture.failedFuture(failure)));
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
			if (RedisErrors.anyCause(ex, RedisErrors::refusesRestore)) {
				if (!this.restoreRefused) {
					this.restoreRefused = true;
					logger.warn("Redis refused RESTORE (" + RedisErrors.rootMessage(ex) + "); puts of small values use scripts "
							+ "from now on, which costs Redis more time per put (README, design notes)");
				}
				return false;
			}
			throw ex;
		}
	}

	/**
	 * The IDs of the masters to scan, in a stable order: the cluster's masters sorted by node
	 * ID, or one empty ID for a single Redis.
	 */
	List<String> scanNodes() {
		return opened().masters();
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
		KeyScanCursor<byte[]> step = await(send((connection) -> connection.node(node).scan(ScanCursor.of(cursor), args)));
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
		OpenedConnection current = this.opened;
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

	@FunctionalInterface
	private interface Retry<T> {

		CompletableFuture<T> run(int attempt, long deadline);

	}

	private OpenedConnection opened() {
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
				// First use, or the factory closed its shared connection (a reset): open again.
				current = this.opener.get();
				this.opened = current;
			}
			return current;
		}
	}

	/**
	 * Closes the connection; the Lettuce client stays open (it belongs to the connection
	 * factory).
	 */
	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
			OpenedConnection current = this.opened;
			this.opened = null;
			if (current != null) {
				OpenedConnection.closeQuietly(current.owner());
			}
		}
	}

}
