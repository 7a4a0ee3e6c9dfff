package io.kvstore.redis;

import java.util.ArrayList;
import java.util.List;

import io.kvstore.core.KvExpiry;
import io.kvstore.core.KvWrite;
import io.lettuce.core.ScriptOutputType;

/**
 * The Lua scripts that write entries, each with the builder of its arguments, so that the
 * order of {@code ARGV} is written down once, beside the source that reads it. The layout
 * they write is {@link EntryLayout}'s.
 */
final class EntryScripts {

	private static final byte[] MODE_NONE = EntryLayout.asciiText("none");

	private static final byte[] MODE_AFTER = EntryLayout.asciiText("after");

	private static final byte[] MODE_AT = EntryLayout.asciiText("at");

	private static final byte[] CREATE = EntryLayout.asciiText("1");

	private static final byte[] ADD = EntryLayout.asciiText("0");

	private static final byte[] EMPTY = new byte[0];

	private static final byte[] RETIRE = EntryLayout.asciiText("retire");

	// Sets the entry's expiry from the locals mode and millis: 'after' counts from Redis'
	// clock (PEXPIRE), 'at' is an epoch millisecond (PEXPIREAT); 'none' leaves it
	// persistent.
	private static final String EXPIRE = """
			if mode == 'after' then
			  redis.call('PEXPIRE', entry, millis)
			elseif mode == 'at' then
			  redis.call('PEXPIREAT', entry, millis)
			""";

	/**
	 * Replaces an entry with a value given as an argument (when Redis refuses
	 * {@code RESTORE}). KEYS: entry. ARGV: the value, metadata JSON ('' for none), expiry
	 * mode ('none', 'after' or 'at'), expiry milliseconds.
	 */
	static final KvScript PUT = KvScript.of("""
			local entry = KEYS[1]
			local mode, millis = ARGV[3], ARGV[4]
			local fields = { 'v', ARGV[1], 'n', string.format('%d', string.len(ARGV[1])) }
			if ARGV[2] ~= '' then
			  fields[#fields + 1] = 'm'
			  fields[#fields + 1] = ARGV[2]
			end
			redis.call('DEL', entry)
			redis.call('HSET', entry, unpack(fields))
			""" + EXPIRE + """
			end
			return 1
			""", ScriptOutputType.INTEGER);

	/**
	 * Replaces an entry with a staged one that already holds value (or chunks), length,
	 * metadata and its generation {@code g} (the staged key itself): renames it into
	 * place and sets its expiry (the staged entry's own staging expiry goes with a
	 * persistent entry). KEYS: entry, staged entry, and for a chunked put the generation
	 * of the chunked entry it expects to replace, if any. ARGV: expiry mode, expiry
	 * milliseconds (as for {@link #PUT}), and for a chunked put {@code 'retire'}.
	 * <p>
	 * With {@code 'retire'}, an entry whose value is chunked (its length over one chunk)
	 * is not deleted but renamed to its generation, the third key, and kept there for the
	 * grace period ({@link EntryLayout#RETIRED_TTL_MILLIS}, or its own expiry when that
	 * comes sooner), so that streams reading it can finish; returns 0, having changed
	 * nothing, when the entry is chunked with another generation than the third key (or
	 * there is none): it changed since the put read it ({@link #GENERATION}), which reads
	 * again. Without it (the staged puts of values up to one chunk), the entry is
	 * replaced whatever it is.
	 * <p>
	 * Idempotent: should Lettuce replay it after a dropped connection, a replay of an
	 * applied commit finds the entry with the staged key as its generation and returns 1,
	 * changing nothing. Returns -1, having changed nothing, when the staged entry is gone
	 * otherwise (evicted, or expired after a stall).
	 */
	static final KvScript PUT_STAGED = KvScript.of("""
			local entry, staged, retired = KEYS[1], KEYS[2], KEYS[3]
			local mode, millis = ARGV[1], ARGV[2]
			if redis.call('EXISTS', staged) == 0 then
			  if redis.call('TYPE', entry).ok == 'hash' and redis.call('HGET', entry, 'g') == staged then
			    return 1
			  end
			  return -1
			end
			if ARGV[3] == 'retire' and redis.call('TYPE', entry).ok == 'hash' then
			  local old = redis.call('HMGET', entry, 'g', 'n')
			  local length = tonumber(old[2])
			  if old[1] and length and length > CHUNK then
			    if old[1] ~= retired then
			      return 0
			    end
			    local ttl = redis.call('PTTL', entry)
			    redis.call('RENAME', entry, retired)
			    if ttl < 0 or ttl > GRACE then
			      redis.call('PEXPIRE', retired, GRACE)
			    end
			  end
			end
			redis.call('RENAME', staged, entry)
			""".replace("CHUNK", Integer.toString(EntryLayout.CHUNK_SIZE))
		.replace("GRACE", Long.toString(EntryLayout.RETIRED_TTL_MILLIS)) + EXPIRE + """
				else
				  redis.call('PERSIST', entry)
				end
				return 1
				""", ScriptOutputType.INTEGER);

	/**
	 * The generation of an entry whose value is chunked (its length over one chunk), nil
	 * for any other entry or key: what a chunked put expects to replace
	 * ({@link #PUT_STAGED} with {@code 'retire'}). KEYS: entry.
	 */
	static final KvScript GENERATION = KvScript.of("""
			if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then
			  return false
			end
			local old = redis.call('HMGET', KEYS[1], 'g', 'n')
			local length = tonumber(old[2])
			if old[1] and length and length > CHUNK then
			  return old[1]
			end
			return false
			""".replace("CHUNK", Integer.toString(EntryLayout.CHUNK_SIZE)), ScriptOutputType.VALUE);

	/**
	 * Writes fields of a staged entry and renews its staging expiry in one step, so a
	 * staged entry never exists without an expiry; -1 when a staged entry that should
	 * exist is gone (it expired while the stream stalled). KEYS: staged entry. ARGV: '1'
	 * to create it or '0' to add to it, then field names and values.
	 */
	static final KvScript CHUNK = KvScript.of("""
			if ARGV[1] == '0' and redis.call('EXISTS', KEYS[1]) == 0 then
			  return -1
			end
			redis.call('HSET', KEYS[1], unpack(ARGV, 2))
			redis.call('PEXPIRE', KEYS[1], STAGING)
			return 1
			""".replace("STAGING", Long.toString(EntryLayout.STAGING_TTL_MILLIS)), ScriptOutputType.INTEGER);

	/** Every script, to load them all when the connection opens. */
	static final List<KvScript> ALL = List.of(PUT, PUT_STAGED, CHUNK, GENERATION);

	private EntryScripts() {
	}

	/**
	 * The arguments of {@link #PUT}: value, metadata ('' for none), expiry mode and
	 * milliseconds.
	 */
	static byte[][] putArgs(byte[] value, KvWrite write) {
		byte[] metadata = write.metadata();
		return new byte[][] { value, (metadata != null) ? metadata : EMPTY, mode(write.expiry()),
				EntryLayout.ascii(write.expiry().millis()) };
	}

	/** The arguments of {@link #PUT_STAGED}: expiry mode and milliseconds. */
	static byte[][] putStagedArgs(KvWrite write) {
		return new byte[][] { mode(write.expiry()), EntryLayout.ascii(write.expiry().millis()) };
	}

	/**
	 * The arguments of {@link #PUT_STAGED} for a chunked put that keeps a chunked entry
	 * it replaces readable: expiry mode, milliseconds and {@code 'retire'}.
	 */
	static byte[][] putChunkedArgs(KvWrite write) {
		return new byte[][] { mode(write.expiry()), EntryLayout.ascii(write.expiry().millis()), RETIRE };
	}

	/**
	 * The arguments of {@link #CHUNK} for one chunk of a staged value but the chunk
	 * itself, which follows them ({@link ChunkCommands}): the first chunk creates the
	 * staged entry with its generation (the unique staging key), the last one adds length
	 * and metadata; the last argument is the chunk's field.
	 * @param stagedKey the staged entry, which is also the generation
	 * @param index the chunk's index
	 * @param length the value's length when this is the last chunk, or -1
	 * @param write the metadata
	 */
	static byte[][] chunkArgs(byte[] stagedKey, int index, long length, KvWrite write) {
		List<byte[]> args = new ArrayList<>(8);
		args.add((index == 0) ? CREATE : ADD);
		if (index == 0) {
			args.add(EntryLayout.GENERATION);
			args.add(stagedKey);
		}
		if (length >= 0) {
			args.add(EntryLayout.LENGTH);
			args.add(EntryLayout.ascii(length));
			if (write.metadata() != null) {
				args.add(EntryLayout.METADATA);
				args.add(write.metadata());
			}
		}
		args.add(EntryLayout.chunkField(index));
		return args.toArray(byte[][]::new);
	}

	private static byte[] mode(KvExpiry expiry) {
		return switch (expiry.mode()) {
			case NONE -> MODE_NONE;
			case AFTER -> MODE_AFTER;
			case AT -> MODE_AT;
		};
	}

}
