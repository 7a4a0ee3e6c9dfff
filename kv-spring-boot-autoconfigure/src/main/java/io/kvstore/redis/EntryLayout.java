package io.kvstore.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import io.kvstore.core.KvWrite;
import io.lettuce.core.cluster.SlotHash;

/**
 * Where and how a store keeps its entries in Redis: the one place that knows the key
 * names, the hash fields and the Lua scripts.
 * <p>
 * An entry is one Redis hash at {@code <prefix><key>}, and nothing else: every put
 * replaces the hash as a whole, and a delete is one {@code DEL}. Its fields:
 * <ul>
 * <li>{@code v}: the value, when it fits in one chunk (1 MiB), or</li>
 * <li>{@code c0}, {@code c1}, ...: the chunks of a larger value;</li>
 * <li>{@code g}: the generation of a value that was staged (a chunked one, or one over
 * {@link #RESTORE_VALUE_LIMIT}): the staged key it was written to, unique to its
 * put;</li>
 * <li>{@code n}: the value's length in bytes (always present: it tells an entry from a
 * vanished key in a pipelined read);</li>
 * <li>{@code m}: the metadata as compact JSON, when there is any.</li>
 * </ul>
 * The expiration lives on the entry key only, set on Redis' clock: the time to live of
 * the {@code RESTORE} that writes the entry, or {@code PEXPIRE} / {@code PEXPIREAT}. A
 * listing reads it with {@code PEXPIRETIME} (or {@code PTTL} on Redis 6.2). Entries
 * written by 0.1 also have a field {@code x} (the expiration in epoch milliseconds); it
 * is ignored, the key's own expiry is authoritative, and the next put of the key drops
 * it. Because a value's chunks live in its entry, a delete or a put of up to one chunk
 * never needs to read what it replaces, and nothing of what it replaced or deleted
 * outlives it. A stream reading a large value reads chunk by chunk with the generation
 * beside each chunk, and fails instead of mixing values once the entry has been deleted,
 * replaced by a small value or has expired. A large value that another large value
 * replaces is kept for at most {@link #RETIRED_TTL_MILLIS} under its generation (the name
 * of the staged key it was written to, free again once it was renamed into place): its
 * readers read on there ({@link EntryScripts#PUT_STAGED}, {@link ChunkInputStream}).
 * <p>
 * Values are written in one of four ways ({@link EntryWriter.Strategy}). A value up to
 * {@link #RESTORE_VALUE_LIMIT} replaces the entry with one {@code RESTORE} of the whole
 * hash ({@link DumpPayload}) and its expiry. Where Redis refuses {@code RESTORE}, a value
 * up to {@link #SCRIPT_VALUE_LIMIT} travels to Redis as an argument of the
 * {@link EntryScripts#PUT} script. A larger one, up to one chunk, is written with a plain
 * {@code HSET} to a staged entry, which the {@link EntryScripts#PUT_STAGED} script
 * renames into place, in the same pipelined round trip: Redis copies every script
 * argument into Lua and back, which costs more than the script itself once a value has a
 * few KiB, while {@code HSET} copies it once and {@code RENAME} not at all. A value over
 * one chunk is staged chunk by chunk ({@link EntryScripts#CHUNK}) and renamed into place
 * the same way. A staged entry is a hash named {@code <prefix>\xFF{<tag>}<id>}: no key a
 * user can write starts with byte {@code 0xFF} (it never occurs in UTF-8), so staged
 * entries never collide with entries and a listing skips them, and the hash tag puts them
 * in the entry's Redis Cluster slot. They live under a short expiry until they are
 * renamed, so a put that dies half-way leaves nothing behind for long. A retired large
 * value has the same name and the same properties, under its grace expiry.
 */
final class EntryLayout {

	/**
	 * Values up to this size live in one field; larger ones are written and read in
	 * chunks of this size.
	 */
	static final int CHUNK_SIZE = 1024 * 1024;

	/**
	 * Values up to this size are passed to the {@link EntryScripts#PUT} script; larger
	 * ones are staged with a plain {@code HSET} ({@link EntryScripts#PUT_STAGED}).
	 * Measured with {@code INFO commandstats} (BENCHMARKS.md): the two cost Redis the
	 * same at a few hundred bytes; from 1 KiB on, staging costs less, and the script's
	 * cost grows with every KiB.
	 */
	static final int SCRIPT_VALUE_LIMIT = 1024;

	/**
	 * Values up to this size are written with one {@code RESTORE} of the whole entry
	 * ({@link DumpPayload}), with or without a time to live: Redis checks the payload's
	 * CRC-64 and copies it into the hash, which costs it less than staging up to about 16
	 * KiB and more beyond (BENCHMARKS.md).
	 */
	static final int RESTORE_VALUE_LIMIT = 16 * 1024;

	/**
	 * How long a staged entry lives after its last write; a crashed put leaves nothing
	 * behind for longer.
	 */
	static final long STAGING_TTL_MILLIS = 10 * 60 * 1000L;

	/**
	 * How long a large value that another large value replaced stays readable for the
	 * stream readers that started on it (the grace period): the replacing put renames the
	 * replaced entry to its generation key ({@link #isGenerationKeyOf}) and gives it this
	 * expiry, or keeps its own when that comes sooner. It costs Redis the memory of the
	 * replaced value for that long; small puts and deletes keep nothing.
	 */
	static final long RETIRED_TTL_MILLIS = 5 * 60 * 1000L;

	static final byte[] VALUE = field("v");

	static final byte[] GENERATION = field("g");

	static final byte[] LENGTH = field("n");

	static final byte[] METADATA = field("m");

	/** The expiration field of entries written by 0.1: never written, never read. */
	static final byte[] LEGACY_EXPIRES_AT = field("x");

	private static final byte STAGING_MARK = (byte) 0xFF;

	// Staging keys are unique: a random number drawn once per process, then a counter (no
	// lock and no entropy per put, unlike a random UUID).
	private static final long PROCESS_ID = new SecureRandom().nextLong();

	private static final AtomicLong STAGING_COUNTER = new AtomicLong();

	private final byte[] prefix;

	EntryLayout(String keyPrefix) {
		this.prefix = keyPrefix.getBytes(StandardCharsets.UTF_8);
	}

	byte[] prefix() {
		return this.prefix;
	}

	/**
	 * The Redis key of an entry: the store prefix and the key's UTF-8 bytes.
	 */
	byte[] entryKey(byte[] key) {
		byte[] entryKey = Arrays.copyOf(this.prefix, this.prefix.length + key.length);
		System.arraycopy(key, 0, entryKey, this.prefix.length, key.length);
		return entryKey;
	}

	/**
	 * How messages name the key of an entry: {@code key '<key>' under prefix '<prefix>'}.
	 */
	String describe(byte[] entryKey) {
		return "key '" + new String(key(entryKey), StandardCharsets.UTF_8) + "' under prefix '"
				+ new String(this.prefix, StandardCharsets.UTF_8) + "'";
	}

	/**
	 * The key part of an entry's Redis key.
	 */
	byte[] key(byte[] entryKey) {
		return Arrays.copyOfRange(entryKey, this.prefix.length, entryKey.length);
	}

	/**
	 * Whether a Redis key under the store prefix is an entry, not a staged entry.
	 */
	boolean isEntryKey(byte[] redisKey) {
		return redisKey.length > this.prefix.length && redisKey[this.prefix.length] != STAGING_MARK;
	}

	/**
	 * Whether an entry's generation is a key its value may be kept under once it is
	 * replaced: a staged entry's name under this store's prefix (it starts with byte
	 * {@code 0xFF} after the prefix, so it is never an entry) in the entry's cluster
	 * slot. Every generation this store writes is one; a foreign {@code g} is not used.
	 */
	boolean isGenerationKeyOf(byte[] entryKey, byte[] generation) {
		return generation.length > this.prefix.length + 1
				&& Arrays.equals(generation, 0, this.prefix.length, this.prefix, 0, this.prefix.length)
				&& generation[this.prefix.length] == STAGING_MARK
				&& SlotHash.getSlot(generation) == SlotHash.getSlot(entryKey);
	}

	/**
	 * A new, unique key for a staged entry, in the same cluster slot as the entry.
	 */
	byte[] newStagingKey(byte[] entryKey) {
		String suffix = "{" + SlotTags.tag(SlotHash.getSlot(entryKey)) + "}" + HexFormat.of().toHexDigits(PROCESS_ID)
				+ HexFormat.of().toHexDigits(STAGING_COUNTER.incrementAndGet());
		byte[] tail = suffix.getBytes(StandardCharsets.US_ASCII);
		byte[] stagingKey = Arrays.copyOf(this.prefix, this.prefix.length + 1 + tail.length);
		stagingKey[this.prefix.length] = STAGING_MARK;
		System.arraycopy(tail, 0, stagingKey, this.prefix.length + 1, tail.length);
		return stagingKey;
	}

	/**
	 * The {@code SCAN MATCH} pattern for the entries whose key starts with a literal
	 * prefix: store prefix and key prefix with every glob character escaped, then
	 * {@code *}.
	 */
	byte[] matchPattern(byte[] keyPrefix) {
		ByteArrayOutputStream pattern = new ByteArrayOutputStream(2 * (this.prefix.length + keyPrefix.length) + 1);
		escapeGlob(this.prefix, pattern);
		escapeGlob(keyPrefix, pattern);
		pattern.write('*');
		return pattern.toByteArray();
	}

	private static void escapeGlob(byte[] literal, ByteArrayOutputStream pattern) {
		for (byte b : literal) {
			switch (b) {
				case '*', '?', '[', ']', '\\', '^', '-', '{', '}' -> pattern.write('\\');
				default -> {
				}
			}
			pattern.write(b);
		}
	}

	/** The fields a read of a value asks for: value, generation, length. */
	static final byte[][] READ = { VALUE, GENERATION, LENGTH };

	/**
	 * The fields a read of a value with its metadata asks for: value, generation, length,
	 * metadata.
	 */
	static final byte[][] READ_WITH_METADATA = { VALUE, GENERATION, LENGTH, METADATA };

	/**
	 * The fields a bulk read asks for per key: value and length (a value over one chunk
	 * has no {@code v} but its length, and is then read as a single read reads it).
	 */
	static final byte[][] BULK_READ = { VALUE, LENGTH };

	/** The fields a bulk read with metadata asks for per key: value, length, metadata. */
	static final byte[][] BULK_READ_WITH_METADATA = { VALUE, LENGTH, METADATA };

	/** The fields a listing asks for per key: length, metadata. */
	static final byte[][] LIST = { LENGTH, METADATA };

	/**
	 * The fields of an entry whose value is held in one field, as {@code HSET} and
	 * {@code RESTORE} write them and as the {@link EntryScripts#PUT} script writes them
	 * too: value, length and metadata if any.
	 */
	static byte[][] fields(byte[] value, KvWrite write) {
		byte[] metadata = write.metadata();
		return (metadata == null) ? new byte[][] { VALUE, value, LENGTH, ascii(value.length) }
				: new byte[][] { VALUE, value, LENGTH, ascii(value.length), METADATA, metadata };
	}

	/**
	 * The fields of a staged entry whose value is held in one field, as {@code HSET}
	 * writes them: those of {@link #fields} and the generation, the staged key itself
	 * (which makes {@link EntryScripts#PUT_STAGED} idempotent).
	 */
	static byte[][] stagedFields(byte[] value, KvWrite write, byte[] stagedKey) {
		byte[][] fields = fields(value, write);
		byte[][] staged = Arrays.copyOf(fields, fields.length + 2);
		staged[fields.length] = GENERATION;
		staged[fields.length + 1] = stagedKey;
		return staged;
	}

	/**
	 * The {@code RESTORE} payload of an entry whose value is held in one field
	 * ({@link #fields}).
	 */
	static byte[] restorePayload(byte[] value, KvWrite write) {
		return DumpPayload.hash(fields(value, write));
	}

	/**
	 * The field of a large value's chunk.
	 */
	static byte[] chunkField(int index) {
		return field("c" + index);
	}

	/**
	 * The fields of the chunks of a value of the given length, after the given fields.
	 */
	static byte[][] withChunks(byte[][] fields, long length) {
		int chunks = (int) ((length + CHUNK_SIZE - 1) / CHUNK_SIZE);
		byte[][] all = Arrays.copyOf(fields, fields.length + chunks);
		for (int i = 0; i < chunks; i++) {
			all[fields.length + i] = chunkField(i);
		}
		return all;
	}

	static byte[] asciiText(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	static byte[] ascii(long number) {
		return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
	}

	static long parseLong(byte[] digits) {
		return Long.parseLong(new String(digits, StandardCharsets.US_ASCII));
	}

	private static byte[] field(String name) {
		return name.getBytes(StandardCharsets.US_ASCII);
	}

}
