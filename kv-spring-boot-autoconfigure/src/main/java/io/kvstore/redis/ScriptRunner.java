package io.kvstore.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.jspecify.annotations.Nullable;

/**
 * How {@link KvRedisConnection} runs scripts, over its one execution path
 * ({@link KvRedisConnection#send}, {@link KvRedisConnection#await}): by SHA-1, with the
 * source sent once on {@code NOSCRIPT}, and again while a cluster resharding refuses
 * them. Written once, for blocking and pipelined calls alike.
 */
final class ScriptRunner {

	private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

	private final KvRedisConnection connection;

	ScriptRunner(KvRedisConnection connection) {
		this.connection = connection;
	}

	/**
	 * Runs a script by its SHA-1 without waiting. When Redis does not know the script
	 * ({@code NOSCRIPT}), its source is sent once; when a cluster resharding refuses it
	 * (scripts check before they write, so nothing changed), it is tried again until the
	 * slot has moved, within one command timeout.
	 */
	<T> CompletableFuture<T> evalAsync(KvScript script, byte[][] keys, byte[]... args) {
		return evalAsync(null, script, keys, args);
	}

	/**
	 * Runs a script whose last argument is a chunk ({@link ChunkCommands}) without
	 * waiting, as {@link #evalAsync} does. The chunk must stay as it is until the future
	 * completes: Lettuce writes it when the command goes out, and again should it replay
	 * the command after a reconnect.
	 */
	CompletableFuture<Long> evalChunkAsync(KvScript script, byte[][] keys, byte[][] args, ChunkBuffer chunk) {
		return run((source) -> this.connection.dispatch(source ? ChunkCommands.eval(script, keys, args, chunk)
				: ChunkCommands.evalsha(script, keys, args, chunk)), 1, 0);
	}

	/**
	 * Runs a script as {@link #evalAsync(KvScript, byte[][], byte[]...)} does, each
	 * attempt followed by {@code WAIT} for replicas
	 * ({@link KvRedisConnection#send(Function, ReplicaAck)}), so that the attempt that
	 * ran is the one waited for.
	 */
	<T> CompletableFuture<T> evalAsync(@Nullable ReplicaAck ack, KvScript script, byte[][] keys, byte[]... args) {
		return run((source) -> this.connection
			.<T>send((opened) -> source ? opened.async().<T>eval(script.source(), script.output(), keys, args)
					: opened.async().<T>evalsha(script.sha(), script.output(), keys, args), ack),
				1, 0);
	}

	// One way to run a script: by its SHA-1, and by its source once Redis said NOSCRIPT;
	// again while a cluster resharding refuses it.
	private <T> CompletableFuture<T> run(Attempt<T> attempt, int number, long deadline) {
		CompletableFuture<T> sent = attempt.send(false)
			.exceptionallyCompose((failure) -> RedisErrors.isNoScript(failure) ? attempt.send(true)
					: CompletableFuture.failedFuture(failure));
		return retryWhileResharding(sent, number, deadline, (next, until) -> run(attempt, next, until));
	}

	// Should a cluster resharding refuse the command, runs it again after a short pause,
	// until one command timeout after the first refusal. Only a resharding reads the
	// clock.
	private <T> CompletableFuture<T> retryWhileResharding(CompletableFuture<T> sent, int attempt, long deadline,
			Retry<T> retry) {
		return sent.exceptionallyCompose((failure) -> {
			if (!RedisErrors.isResharding(failure)) {
				return CompletableFuture.failedFuture(failure);
			}
			long until = (attempt == 1) ? System.nanoTime() + this.connection.timeout().toNanos() : deadline;
			if (System.nanoTime() > until) {
				return CompletableFuture.failedFuture(failure);
			}
			Executor later = CompletableFuture.delayedExecutor(Math.min(50, attempt * 5L), TimeUnit.MILLISECONDS);
			return CompletableFuture.supplyAsync(() -> retry.run(attempt + 1, until), later)
				.thenCompose(Function.identity());
		});
	}

	/**
	 * Stages a hash and runs a script over it in one round trip: {@code HSET} of the
	 * fields, {@code PEXPIRE} of the staging expiry and {@code EVALSHA}, handed to
	 * Lettuce as one batch, so they are flushed together, in order (Lettuce writes them
	 * one by one, so other threads' commands may go between them, which changes nothing).
	 * The field values travel as plain {@code HSET} arguments, which Redis copies once (a
	 * script argument would be copied into Lua and back). When Redis does not know the
	 * script, or a cluster resharding refuses it, the script alone is run again as
	 * {@link #evalAsync} runs it; waits for the script. With replicas to wait for,
	 * {@code WAIT} follows the script in the same batch.
	 * @param ack how many replicas must have the write, or {@code null} for none
	 * @param staged the key of the hash to stage, in the same cluster slot as the
	 * script's keys
	 * @param fields field names and values, alternating
	 * @param stagingMillis the expiry of the staged hash, should the script never run
	 * @param script a script with an integer reply
	 * @param keys the script's keys
	 * @param args the script's arguments
	 * @return the script's reply
	 */
	Long stageAndEval(@Nullable ReplicaAck ack, byte[] staged, byte[][] fields, long stagingMillis, KvScript script,
			byte[][] keys, byte[]... args) {
		CommandArgs<byte[], byte[]> hsetArgs = new CommandArgs<>(CODEC).addKey(staged);
		for (byte[] field : fields) {
			hsetArgs.add(field);
		}
		AsyncCommand<byte[], byte[], Long> hset = new AsyncCommand<>(
				new Command<>(CommandType.HSET, new IntegerOutput<>(CODEC), hsetArgs));
		AsyncCommand<byte[], byte[], Boolean> pexpire = new AsyncCommand<>(new Command<>(CommandType.PEXPIRE,
				new BooleanOutput<>(CODEC), new CommandArgs<>(CODEC).addKey(staged).add(stagingMillis)));
		AsyncCommand<byte[], byte[], Long> evalsha = new AsyncCommand<>(
				new Command<>(CommandType.EVALSHA, new IntegerOutput<>(CODEC),
						new CommandArgs<>(CODEC).add(script.sha()).add(keys.length).addKeys(keys).addValues(args)));
		AsyncCommand<byte[], byte[], Long> wait = (ack != null) ? new AsyncCommand<>(new Command<>(CommandType.WAIT,
				new IntegerOutput<>(CODEC), new CommandArgs<>(CODEC).add(ack.replicas()).add(ack.timeoutMillis())))
				: null;
		this.connection.await(this.connection.send((opened) -> {
			opened.connection()
				.dispatch((wait != null) ? List.of(hset, pexpire, evalsha, wait) : List.of(hset, pexpire, evalsha));
			return hset;
		}));
		this.connection.await(pexpire);
		CompletableFuture<Long> committed = evalsha.toCompletableFuture();
		if (wait != null && ack != null) {
			ReplicaAck required = ack;
			committed = committed.thenCombine(wait, (reply, replicas) -> {
				required.check(replicas);
				return reply;
			});
		}
		return this.connection.await(committed
			.exceptionallyCompose((failure) -> (RedisErrors.isNoScript(failure) || RedisErrors.isResharding(failure))
					? evalAsync(ack, script, keys, args) : CompletableFuture.failedFuture(failure)));
	}

	@FunctionalInterface
	private interface Attempt<T> {

		/** Sends the script, by its source or by its SHA-1. */
		CompletableFuture<T> send(boolean source);

	}

	@FunctionalInterface
	private interface Retry<T> {

		CompletableFuture<T> run(int attempt, long deadline);

	}

}
