package io.kvstore.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.kvstore.core.KvExpiry;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * The commands of a {@link KvRedisConnection} that a Redis may refuse or lack, with what
 * each falls back to: {@code RESTORE} (off by {@code kv.redis.restore=never}, or refused
 * by an ACL or a rename) falls back to scripts, {@code PEXPIRETIME} (missing before Redis
 * 7) to {@code PTTL}. The first refusal is logged once and switches the connection to the
 * fallback for good.
 */
final class FallbackCommands {

	// The log lines keep the category of the connection they concern.
	private static final Log logger = LogFactory.getLog(KvRedisConnection.class);

	private final KvRedisConnection redis;

	private volatile boolean restoreRefused;

	private volatile boolean noExpireTime;

	FallbackCommands(KvRedisConnection redis, RestoreMode restore) {
		this.redis = redis;
		this.restoreRefused = never(restore);
	}

	private static boolean never(RestoreMode restore) {
		if (restore == RestoreMode.NEVER) {
			logger.info("RESTORE is off (kv.redis.restore=never): puts use scripts");
			return true;
		}
		return false;
	}

	/**
	 * Replaces a key with a serialized value and its expiry:
	 * {@code RESTORE key <ttl> payload REPLACE}, the time to live counted on Redis'
	 * clock, or {@code RESTORE key <epoch ms> payload REPLACE ABSTTL} for an instant, or
	 * a TTL of 0 for none.
	 * @param key the key
	 * @param payload the value in {@code DUMP} form
	 * @param expiry when the key expires
	 * @return false, having changed nothing, when {@code RESTORE} is off
	 * ({@code kv.redis.restore=never}) or Redis refuses it itself (an ACL without it, or
	 * the command renamed away); a refusal is logged once, and {@code RESTORE} is not
	 * tried again on this connection
	 */
	boolean restore(byte[] key, byte[] payload, KvExpiry expiry) {
		return restore(key, payload, expiry, null);
	}

	/**
	 * {@link #restore(byte[], byte[], KvExpiry)} that waits for replicas
	 * ({@link KvRedisConnection#send(Function, ReplicaAck)}).
	 */
	boolean restore(byte[] key, byte[] payload, KvExpiry expiry, @Nullable ReplicaAck ack) {
		if (this.restoreRefused) {
			return false;
		}
		RestoreArgs args = RestoreArgs.Builder.ttl((expiry.mode() == KvExpiry.Mode.NONE) ? 0 : expiry.millis())
			.replace();
		if (expiry.mode() == KvExpiry.Mode.AT) {
			args.absttl();
		}
		try {
			this.redis.await(this.redis.send((connection) -> connection.async().restore(key, payload, args), ack));
			return true;
		}
		catch (DataAccessException ex) {
			if (RedisErrors.anyCause(ex, RedisErrors::refusesRestore)) {
				if (!this.restoreRefused) {
					this.restoreRefused = true;
					logger.warn("Redis refused RESTORE (" + RedisErrors.rootMessage(ex) + "); puts of small values use "
							+ "scripts from now on, which costs Redis more time per put (grant the command, or set "
							+ "kv.redis.restore=never to say so)");
				}
				return false;
			}
			throw ex;
		}
	}

	/**
	 * When a key expires, sent without waiting: {@code PEXPIRETIME} (Redis 7 and later,
	 * Valkey), or on a Redis without it (6.2) {@code PTTL} added to the client's clock
	 * and rounded to the second. The first refusal of {@code PEXPIRETIME} switches this
	 * connection to {@code PTTL}.
	 * @param key the key
	 * @return the expiry in epoch milliseconds, or -1 when the key is persistent, -2 when
	 * it is missing
	 */
	CompletableFuture<Long> expiresAtAsync(byte[] key) {
		return expiresAtAll(List.of(key)).get(0);
	}

	/**
	 * {@link #expiresAtAsync} of many keys, handed to Lettuce as one batch
	 * ({@link KvRedisConnection#dispatchAll}): written and flushed together, where a
	 * command each would be written and flushed one by one.
	 * @param keys the keys
	 * @return per key, in order, when it expires
	 */
	List<CompletableFuture<Long>> expiresAtAll(List<byte[]> keys) {
		boolean ttl = this.noExpireTime;
		long sent = System.currentTimeMillis();
		List<AsyncCommand<byte[], byte[], Long>> commands = new ArrayList<>(keys.size());
		for (byte[] key : keys) {
			commands.add(new AsyncCommand<>(new Command<>(ttl ? CommandType.PTTL : CommandType.PEXPIRETIME,
					new IntegerOutput<>(ByteArrayCodec.INSTANCE),
					new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key))));
		}
		List<CompletableFuture<Long>> replies = new ArrayList<>(keys.size());
		int index = 0;
		for (AsyncCommand<byte[], byte[], Long> command : this.redis.dispatchAll(commands)) {
			byte[] key = keys.get(index++);
			replies
				.add(ttl ? command.thenApply((left) -> (left >= 0) ? Math.round((sent + left) / 1000.0) * 1000 : left)
						: command.exceptionallyCompose((failure) -> withoutExpireTime(key, failure)));
		}
		return replies;
	}

	// The first refusal of PEXPIRETIME switches to PTTL, for this key and all after it.
	private CompletableFuture<Long> withoutExpireTime(byte[] key, Throwable failure) {
		if (!RedisErrors.isUnknownCommand(failure, "pexpiretime")) {
			return CompletableFuture.failedFuture(failure);
		}
		if (!this.noExpireTime) {
			this.noExpireTime = true;
			logger.info("Redis has no PEXPIRETIME (before Redis 7): listings read expirations with PTTL, "
					+ "to the second");
		}
		return expiresAtAsync(key);
	}

}
