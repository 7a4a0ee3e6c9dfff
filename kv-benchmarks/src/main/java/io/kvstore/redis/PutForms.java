package io.kvstore.redis;

import io.kvstore.core.KvExpiry;
import io.kvstore.core.KvWrite;

/**
 * The two ways the store writes a value of a few KiB, callable at any size so that the
 * benchmarks can find where {@link EntryLayout#RESTORE_VALUE_LIMIT} belongs: one
 * {@code RESTORE} of the whole entry ({@link DumpPayload}), or {@code HSET} of a staged
 * entry, {@code PEXPIRE} and {@code EVALSHA} of {@link EntryScripts#PUT_STAGED},
 * pipelined. Both are what {@link EntryWriter} sends, with the same arguments; only the
 * choice by size is left out. (Benchmark code in the library's package, to reach its
 * package-private writers.)
 */
public final class PutForms {

	private final KvRedisConnection redis;

	private final EntryLayout layout;

	private final KvWrite write;

	/**
	 * @param redis the connection
	 * @param keyPrefix the store prefix, e.g. {@code kv:forms:}
	 * @param metadata the metadata JSON
	 * @param ttlMillis the time to live
	 */
	public PutForms(KvRedisConnection redis, String keyPrefix, byte[] metadata, long ttlMillis) {
		this.redis = redis;
		this.layout = new EntryLayout(keyPrefix);
		this.write = new KvWrite(metadata, KvExpiry.after(ttlMillis));
	}

	/** The entry key of a key. */
	public byte[] entryKey(String key) {
		return this.layout.entryKey(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/**
	 * One {@code RESTORE <entry> <ttl> <payload> REPLACE}, the payload (and its CRC-64)
	 * built here.
	 */
	public void restore(byte[] entryKey, byte[] value) {
		if (!this.redis.fallbacks()
			.restore(entryKey, EntryLayout.restorePayload(value, this.write), this.write.expiry())) {
			throw new IllegalStateException("RESTORE refused");
		}
	}

	/**
	 * {@code HSET <staged> v n m}, {@code PEXPIRE <staged>}, {@code EVALSHA PUT_STAGED},
	 * in one round trip.
	 */
	public void staged(byte[] entryKey, byte[] value) {
		byte[] staged = this.layout.newStagingKey(entryKey);
		this.redis.stageAndEval(staged, EntryLayout.fields(value, this.write), EntryLayout.STAGING_TTL_MILLIS,
				EntryScripts.PUT_STAGED, new byte[][] { entryKey, staged }, EntryScripts.putStagedArgs(this.write));
	}

	/**
	 * The {@code RESTORE} payload alone: what the client computes (mostly the CRC-64).
	 */
	public byte[] payload(byte[] value) {
		return EntryLayout.restorePayload(value, this.write);
	}

}
