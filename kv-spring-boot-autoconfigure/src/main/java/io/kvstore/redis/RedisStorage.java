package io.kvstore.redis;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;

import io.kvstore.core.KvStorage;
import io.kvstore.core.KvStoredValue;
import io.kvstore.core.KvWrite;
import org.jspecify.annotations.Nullable;

/**
 * A store's entries in Redis, in the layout of {@link EntryLayout}: writes go to the
 * {@link EntryWriter}, reads to the {@link EntryReader}, listings and clear to the
 * {@link EntryLister}, all over the shared {@link KvRedisConnection}.
 * <p>
 * Round trips, for a reader counting them: a put, get or delete of a value up to 1 MiB is one
 * round trip; a larger value is one script call per 1 MiB chunk and one to commit it, and is
 * read by two {@code HMGET}s (or one per chunk as a stream); a list page is one or more
 * {@code SCAN} calls and one pipelined {@code HMGET} per key.
 */
final class RedisStorage implements KvStorage {

	private final KvRedisConnection redis;

	private final EntryLayout layout;

	private final EntryWriter writer;

	private final EntryReader reader;

	private final EntryLister lister;

	RedisStorage(String store, String keyPrefix, int maxKeySize, KvRedisConnection redis) {
		this.redis = redis;
		this.layout = new EntryLayout(keyPrefix);
		this.writer = new EntryWriter(redis, this.layout);
		this.reader = new EntryReader(store, redis, this.layout);
		this.lister = new EntryLister(redis, this.layout, maxKeySize);
	}

	@Override
	public void put(byte[] key, byte[] value, KvWrite write) {
		this.writer.put(this.layout.entryKey(key), value, write);
	}

	@Override
	public long put(byte[] key, InputStream value, KvWrite write) throws IOException {
		return this.writer.put(this.layout.entryKey(key), value, write);
	}

	@Override
	public @Nullable KvStoredValue read(byte[] key, boolean withMetadata, boolean stream) {
		return this.reader.read(key, withMetadata, stream);
	}

	@Override
	public List<@Nullable KvStoredValue> readAll(List<byte[]> keys, boolean withMetadata, LongConsumer sizeCheck) {
		return this.reader.readAll(keys, withMetadata, sizeCheck);
	}

	@Override
	public Page list(byte[] prefix, int limit, @Nullable String cursor) {
		return this.lister.list(prefix, limit, cursor);
	}

	@Override
	public void delete(byte[] key) {
		this.writer.delete(this.layout.entryKey(key));
	}

	@Override
	public void deleteAll(List<byte[]> keys) {
		byte[][] entryKeys = new byte[keys.size()][];
		for (int i = 0; i < entryKeys.length; i++) {
			entryKeys[i] = this.layout.entryKey(keys.get(i));
		}
		this.writer.delete(entryKeys);
	}

	@Override
	public long clear() {
		return this.lister.clear();
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
		return "redis " + this.redis.describe();
	}

}
