package io.kvstore.redis;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;

import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvReplicaAckSettings;
import io.kvstore.core.KvStorage;
import io.kvstore.core.KvStoredValue;
import io.kvstore.core.KvWrite;
import org.jspecify.annotations.Nullable;

/**
 * A store's entries in Redis, in the layout of {@link EntryLayout}: writes go to the
 * {@link EntryWriter}, reads to the {@link EntryReader}, listings and clear to the
 * {@link EntryLister}, all over the shared {@link KvRedisConnection}.
 * <p>
 * Round trips, for a reader counting them: a put, get or delete of a value up to 1 MiB is
 * one round trip; a larger value is one script call per 1 MiB chunk and one to commit it,
 * and is read by two {@code HMGET}s (or one per chunk as a stream); a list page is one or
 * more {@code SCAN} calls and one pipelined {@code HMGET} per key.
 */
final class RedisStorage implements KvStorage, AutoCloseable {

	private final KvRedisConnection redis;

	private final EntryLayout layout;

	private final EntryWriter writer;

	private final EntryReader reader;

	private final EntryLister lister;

	private final KvReplicaAckSettings replicaAck;

	// The near cache, or null when the store has none (then no Caffeine class is loaded).
	private final @Nullable NearCache nearCache;

	RedisStorage(String store, String keyPrefix, int maxKeySize, KvRedisConnection redis) {
		this(store, keyPrefix, maxKeySize, redis, null);
	}

	RedisStorage(String store, String keyPrefix, int maxKeySize, KvRedisConnection redis,
			@Nullable KvNearCacheSettings nearCache) {
		this(store, keyPrefix, maxKeySize, redis, nearCache, KvReplicaAckSettings.NONE);
	}

	RedisStorage(String store, String keyPrefix, int maxKeySize, KvRedisConnection redis,
			@Nullable KvNearCacheSettings nearCache, KvReplicaAckSettings replicaAck) {
		this.redis = redis;
		this.replicaAck = replicaAck;
		this.layout = new EntryLayout(keyPrefix);
		this.writer = new EntryWriter(redis, this.layout, replicaAck);
		this.reader = new EntryReader(store, redis, this.layout);
		this.lister = new EntryLister(redis, this.layout, maxKeySize);
		this.nearCache = (nearCache != null) ? new NearCache(store, redis, this.layout, this.reader, nearCache) : null;
	}

	/** The near cache, for tests; {@code null} when the store has none. */
	@Nullable NearCache nearCache() {
		return this.nearCache;
	}

	@Override
	public void put(byte[] key, byte[] value, KvWrite write) {
		byte[] entryKey = this.layout.entryKey(key);
		try {
			this.writer.put(entryKey, value, write);
		}
		finally {
			invalidate(entryKey);
		}
	}

	@Override
	public long put(byte[] key, InputStream value, KvWrite write) throws IOException {
		byte[] entryKey = this.layout.entryKey(key);
		try {
			return this.writer.put(entryKey, value, write);
		}
		finally {
			invalidate(entryKey);
		}
	}

	// A write through the store is visible to the next read here at once, whether or not
	// Redis' invalidation has arrived yet (and after a failed write, which may have
	// happened).
	private void invalidate(byte[]... entryKeys) {
		if (this.nearCache != null) {
			this.nearCache.invalidate(entryKeys);
		}
	}

	@Override
	public @Nullable KvStoredValue read(byte[] key, boolean withMetadata, boolean stream) {
		return read(key, withMetadata, stream, null);
	}

	@Override
	public @Nullable KvStoredValue read(byte[] key, boolean withMetadata, boolean stream, @Nullable Long cacheTtl) {
		if (this.nearCache != null) {
			return this.nearCache.read(key, withMetadata, stream, cacheTtl);
		}
		return this.reader.read(key, withMetadata, stream);
	}

	@Override
	public List<@Nullable KvStoredValue> readAll(List<byte[]> keys, boolean withMetadata, LongConsumer sizeCheck) {
		if (this.nearCache != null) {
			return this.nearCache.readAll(keys, withMetadata, sizeCheck);
		}
		return this.reader.readAll(keys, withMetadata, sizeCheck);
	}

	@Override
	public Page list(byte[] prefix, int limit, @Nullable String cursor) {
		return this.lister.list(prefix, limit, cursor);
	}

	@Override
	public void delete(byte[] key) {
		byte[] entryKey = this.layout.entryKey(key);
		try {
			this.writer.delete(entryKey);
		}
		finally {
			invalidate(entryKey);
		}
	}

	@Override
	public void deleteAll(List<byte[]> keys) {
		byte[][] entryKeys = new byte[keys.size()][];
		for (int i = 0; i < entryKeys.length; i++) {
			entryKeys[i] = this.layout.entryKey(keys.get(i));
		}
		try {
			this.writer.delete(entryKeys);
		}
		finally {
			invalidate(entryKeys);
		}
	}

	@Override
	public long clear() {
		try {
			return this.lister.clear();
		}
		finally {
			if (this.nearCache != null) {
				this.nearCache.invalidateAll();
			}
		}
	}

	@Override
	public void close() {
		if (this.nearCache != null) {
			this.nearCache.close();
		}
	}

	// An EXISTS of the store's bare key prefix (which no entry can have), so it passes an
	// ACL that limits the application to the stores' keys.
	@Override
	public Duration ping() {
		long start = System.nanoTime();
		this.redis.exists(this.layout.prefix());
		return Duration.ofNanos(System.nanoTime() - start);
	}

	@Override
	public String describe() {
		return "redis " + this.redis.describe() + ((this.nearCache != null) ? ", near cache" : "")
				+ (this.replicaAck.waits() ? ", writes wait for " + this.replicaAck.replicas() + " replica"
						+ ((this.replicaAck.replicas() == 1) ? "" : "s") + " (at most "
						+ this.replicaAck.timeout().toMillis() + " ms)" : "");
	}

}
