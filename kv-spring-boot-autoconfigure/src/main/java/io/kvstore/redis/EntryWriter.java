package io.kvstore.redis;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.concurrent.CompletableFuture;

import io.kvstore.core.KvReplicaAckSettings;
import io.kvstore.core.KvWrite;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;

/**
 * Every write of a store's entries, behind one entry point per kind of value
 * ({@link #put}). A put picks one {@link Strategy} by the value's size and expiry; each
 * replaces the whole entry atomically, and what fails or is refused on the way leaves the
 * previous entry as it was and nothing of its own behind (staged keys are deleted, or
 * expire within the staging TTL).
 * <p>
 * A store that waits for replicas ({@link KvReplicaAckSettings}) sends {@code WAIT} right
 * after the command that makes a put or delete visible (the {@code RESTORE}, the script,
 * or the commit of a staged or chunked put), on the same connection and in the same round
 * trip; the staging of chunks is not waited for, the commit after it covers it.
 */
final class EntryWriter {

	private static final Log logger = LogFactory.getLog(EntryWriter.class);

	/**
	 * How a put reaches Redis; the first that applies is taken.
	 */
	enum Strategy {

		/**
		 * One {@code RESTORE <entry> <ttl> <payload> REPLACE [ABSTTL]} of the whole entry
		 * ({@link DumpPayload}) with its expiry: a value up to
		 * {@link EntryLayout#RESTORE_VALUE_LIMIT}. A Redis that refuses {@code RESTORE}
		 * (or {@code kv.redis.restore=never}) gets {@link #SCRIPT} or {@link #STAGED}
		 * instead.
		 */
		RESTORE,

		/**
		 * The {@link EntryScripts#PUT} script with the value as its argument: up to
		 * {@link EntryLayout#SCRIPT_VALUE_LIMIT}.
		 */
		SCRIPT,

		/**
		 * A plain {@code HSET} of a staged entry and {@link EntryScripts#PUT_STAGED},
		 * which renames it into place, in one pipelined round trip: up to one chunk.
		 */
		STAGED,

		/**
		 * The value staged chunk by chunk ({@link EntryScripts#CHUNK}), then renamed into
		 * place: over one chunk.
		 */
		CHUNKED;

		static Strategy of(long length) {
			if (length > EntryLayout.CHUNK_SIZE) {
				return CHUNKED;
			}
			if (length <= EntryLayout.RESTORE_VALUE_LIMIT) {
				return RESTORE;
			}
			return (length <= EntryLayout.SCRIPT_VALUE_LIMIT) ? SCRIPT : STAGED;
		}

	}

	/**
	 * How much of a stream is read before a chunk buffer is taken: a stream value up to
	 * this size costs a buffer of its size only.
	 */
	private static final int STREAM_HEAD = 64 * 1024;

	/**
	 * How often a chunked put tries to commit while other puts keep replacing the entry
	 * between its read of the entry's generation and its commit; the last attempt
	 * replaces whatever is there, without keeping it for its readers.
	 */
	private static final int MAX_COMMIT_ATTEMPTS = 4;

	private final KvRedisConnection redis;

	private final EntryLayout layout;

	private final KvReplicaAckSettings replicaAck;

	EntryWriter(KvRedisConnection redis, EntryLayout layout) {
		this(redis, layout, KvReplicaAckSettings.NONE);
	}

	EntryWriter(KvRedisConnection redis, EntryLayout layout, KvReplicaAckSettings replicaAck) {
		this.redis = redis;
		this.layout = layout;
		this.replicaAck = replicaAck;
	}

	// What a write must wait for: null when the store waits for no replica.
	private @Nullable ReplicaAck ack(String operation, byte[]... entryKeys) {
		if (!this.replicaAck.waits()) {
			return null;
		}
		String what = (entryKeys.length == 1) ? this.layout.describe(entryKeys[0]) : entryKeys.length + " keys";
		return new ReplicaAck(this.replicaAck, "the " + operation + " of " + what);
	}

	/**
	 * Replaces an entry with a value held in memory. One round trip up to one chunk.
	 */
	void put(byte[] entryKey, byte[] value, KvWrite write) {
		switch (Strategy.of(value.length)) {
			case RESTORE -> {
				if (!this.redis.fallbacks()
					.restore(entryKey, EntryLayout.restorePayload(value, write), write.expiry(),
							ack("put", entryKey))) {
					putWithoutRestore(entryKey, value, write);
				}
			}
			case SCRIPT, STAGED -> putWithoutRestore(entryKey, value, write);
			case CHUNKED -> {
				try (InputStream in = new ByteArrayInputStream(value)) {
					ChunkBuffer first = new ChunkBuffer();
					first.fill(-1, in);
					putChunked(entryKey, first, in.read(), in, write);
				}
				catch (IOException ex) {
					throw new IllegalStateException("A value in memory failed to read", ex);
				}
			}
		}
	}

	/**
	 * Replaces an entry with the bytes of a stream: read one chunk ahead, so a value of
	 * one chunk or less is written as a value held in memory. A small value costs a
	 * buffer of its size; a larger one is read into a {@link ChunkBuffer} (see
	 * {@link #putChunked}).
	 * @return the number of bytes written
	 */
	long put(byte[] entryKey, InputStream value, KvWrite write) throws IOException {
		byte[] head = value.readNBytes(STREAM_HEAD);
		if (head.length < STREAM_HEAD) {
			put(entryKey, head, write);
			return head.length;
		}
		ChunkBuffer first = new ChunkBuffer();
		first.fill(-1, new SequenceInputStream(new ByteArrayInputStream(head), value));
		int next = first.isFull() ? value.read() : -1;
		if (next == -1) {
			byte[] whole = first.toArray();
			put(entryKey, whole, write);
			return whole.length;
		}
		return putChunked(entryKey, first, next, value, write);
	}

	private void putWithoutRestore(byte[] entryKey, byte[] value, KvWrite write) {
		if (value.length <= EntryLayout.SCRIPT_VALUE_LIMIT) {
			this.redis.eval(ack("put", entryKey), EntryScripts.PUT, new byte[][] { entryKey },
					EntryScripts.putArgs(value, write));
			return;
		}
		byte[] staged = this.layout.newStagingKey(entryKey);
		// The staged entry gets its expiration from PUT_STAGED, on Redis' clock.
		try {
			checkStaged(entryKey, this.redis.stageAndEval(ack("put", entryKey), staged,
					EntryLayout.stagedFields(value, write, staged), EntryLayout.STAGING_TTL_MILLIS,
					EntryScripts.PUT_STAGED, new byte[][] { entryKey, staged }, EntryScripts.putStagedArgs(write)));
		}
		catch (RuntimeException ex) {
			discard(staged, null, ex);
			throw ex;
		}
	}

	/**
	 * Writes a value larger than one chunk to a new staged entry, chunk by chunk (the
	 * last one with length and metadata), then renames it into place. Reads the next
	 * chunk from the caller while the previous one is on the wire, into the other of two
	 * chunk buffers: a buffer is filled again only once Redis has answered the command
	 * that carried it, so a put in flight holds two chunks of heap however large its
	 * value, in segments that no collector treats as humongous.
	 * @param first the first chunk, full; the put reuses it as one of its two buffers
	 * @param firstOfRest the byte that follows it
	 */
	private long putChunked(byte[] entryKey, ChunkBuffer first, int firstOfRest, InputStream rest, KvWrite write)
			throws IOException {
		byte[] stagedKey = this.layout.newStagingKey(entryKey);
		byte[][] keys = { stagedKey };
		ChunkBuffer[] buffers = { first, new ChunkBuffer() };
		CompletableFuture<Long> inFlight = null;
		long sent = 0;
		int index = 0;
		try {
			ChunkBuffer chunk = first;
			int carry = firstOfRest;
			while (true) {
				if (inFlight != null) {
					// Answered: the buffer of the chunk before it is free again.
					checkStaged(entryKey, this.redis.await(inFlight));
				}
				sent += chunk.length();
				boolean last = carry == -1;
				inFlight = this.redis.evalChunkAsync(EntryScripts.CHUNK, keys,
						EntryScripts.chunkArgs(stagedKey, index, last ? sent : -1, write), chunk);
				if (last) {
					break;
				}
				chunk = buffers[++index % 2];
				chunk.fill(carry, rest);
				carry = chunk.isFull() ? rest.read() : -1;
			}
			// What the commit replaces, read while the last chunk is on the wire.
			CompletableFuture<byte @Nullable []> replaced = this.redis.evalAsync(EntryScripts.GENERATION,
					new byte[][] { entryKey });
			checkStaged(entryKey, this.redis.await(inFlight));
			commitChunked(entryKey, stagedKey, this.redis.await(replaced), write);
			return sent;
		}
		catch (RuntimeException | IOException ex) {
			discard(stagedKey, inFlight, ex);
			throw ex;
		}
	}

	/**
	 * Renames a chunked put's staged entry into place ({@link EntryScripts#PUT_STAGED}
	 * with {@code 'retire'}): a chunked entry it replaces is kept under its generation
	 * for the grace period, so that streams reading it finish. Should another put have
	 * replaced the entry since its generation was read, the commit changes nothing and
	 * the generation is read again; the last attempt replaces the entry without keeping
	 * it, as does one whose generation is not a key of this store in its slot.
	 * @param replaced the generation of the chunked entry it replaces, or {@code null}
	 */
	private void commitChunked(byte[] entryKey, byte[] stagedKey, byte @Nullable [] replaced, KvWrite write) {
		byte[] generation = replaced;
		for (int attempt = 1;; attempt++) {
			boolean retire = attempt < MAX_COMMIT_ATTEMPTS
					&& (generation == null || this.layout.isGenerationKeyOf(entryKey, generation));
			byte[][] keys = (retire && generation != null) ? new byte[][] { entryKey, stagedKey, generation }
					: new byte[][] { entryKey, stagedKey };
			ReplicaAck ack = ack("put", entryKey);
			// A commit that lost the race writes nothing: no replica has to have it.
			Long reply = this.redis.eval((ack != null) ? ack.asConditional() : null, EntryScripts.PUT_STAGED, keys,
					retire ? EntryScripts.putChunkedArgs(write) : EntryScripts.putStagedArgs(write));
			if (reply == null || reply != 0) {
				checkStaged(entryKey, reply);
				return;
			}
			generation = this.redis.eval(EntryScripts.GENERATION, new byte[][] { entryKey });
		}
	}

	// A script's -1: the staged value is gone from Redis before the put could complete.
	private void checkStaged(byte[] entryKey, Long reply) {
		if (reply != null && reply < 0) {
			throw new RedisSystemException("The put of " + this.layout.describe(entryKey)
					+ " failed and wrote nothing: its staged value is gone from Redis before the put completed. Redis "
					+ "evicted it (under a volatile-* maxmemory policy staged values are among the few keys with a "
					+ "time to live, so they go first), or it expired after the stream stalled for more than "
					+ EntryLayout.STAGING_TTL_MILLIS / 1000 + " seconds", null);
		}
	}

	// Deletes what a failed put staged. The DEL is sent once the chunk on the wire has
	// landed (so that it comes after it). When the put failed for its caller's sake (a
	// stream over the limit or failing), Redis answers: wait for the DEL, so that nothing
	// is left behind when the put returns. When Redis failed the put (a timeout, a lost
	// connection), do not wait a second timeout: the put fails at once, within its
	// command timeout, and the DEL goes on alone. Should the DEL fail, the staged entry
	// expires by itself.
	private void discard(byte[] stagedKey, @Nullable CompletableFuture<?> inFlight, Exception cause) {
		CompletableFuture<?> landed = (inFlight != null) ? inFlight.handle((result, failure) -> null)
				: CompletableFuture.completedFuture(null);
		CompletableFuture<Long> deleted = landed.thenCompose((ignored) -> this.redis.delAsync(stagedKey));
		deleted.whenComplete((count, failure) -> {
			if (failure != null && logger.isDebugEnabled()) {
				logger.debug("Could not delete a staged entry of a failed put; it expires within "
						+ EntryLayout.STAGING_TTL_MILLIS / 1000 + " seconds", failure);
			}
		});
		if (!(cause instanceof DataAccessException)) {
			try {
				this.redis.await(deleted);
			}
			catch (DataAccessException ex) {
				// Logged above; the staged entry expires by itself.
			}
		}
	}

	/** Deletes entries: one {@code DEL} (on a cluster, one per slot, in parallel). */
	void delete(byte[]... entryKeys) {
		this.redis.del(ack("delete", entryKeys), entryKeys);
	}

}
