package io.kvstore.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvStoredValue;
import io.lettuce.core.KeyValue;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.QueryTimeoutException;

/**
 * The near cache of one store: reads kept in the application's memory (Caffeine),
 * answered only while its {@link InvalidationChannel} is up, so that Redis can tell when
 * they change. Reads that may fill the cache go over that channel's tracking connection.
 * <p>
 * <b>No stale fill.</b> Every invalidation first bumps a counter (one of
 * {@value #STRIPES} stripes by key hash, or the epoch for a flush or a channel change),
 * then removes the key. A fill captures the counters as its reply is decoded (in order
 * with the channel's invalidation messages), inserts only if they did not move since, and
 * removes what it inserted if they moved meanwhile. So an invalidation of a write that
 * Redis ran after the read always wins, and one of a write that the read already saw
 * (still on its way when the read was sent) does not cost the fill.
 * <p>
 * <b>Expiry.</b> With each fill the key's {@code PTTL} is sent in the same write as its
 * {@code HMGET}; the entry is not answered past the time the read was sent plus that TTL,
 * so never past the key's expiry (on the monotonic clock, whatever the clocks of client
 * and Redis say).
 * <p>
 * Writes through the store invalidate locally once Redis acknowledged them, so the next
 * read in this application sees them at once.
 */
final class NearCache implements KvNearCacheStatistics, AutoCloseable {

	static final int STRIPES = 1024;

	private final KvRedisConnection redis;

	private final EntryLayout layout;

	private final EntryReader reader;

	private final KvNearCacheSettings settings;

	private final Cache<NearCacheKey, NearCacheEntry> cache;

	private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);

	private final AtomicLong epoch = new AtomicLong();

	private final InvalidationChannel channel;

	private final NearCacheCounts counts = new NearCacheCounts();

	/** A test hook, run after a fill's replies arrived and before it is inserted. */
	volatile @Nullable Runnable beforeInsert;

	NearCache(String store, KvRedisConnection redis, EntryLayout layout, EntryReader reader,
			KvNearCacheSettings settings) {
		this.redis = redis;
		this.layout = layout;
		this.reader = reader;
		this.settings = settings;
		this.cache = Caffeine.newBuilder()
			.maximumSize(settings.maxEntries())
			.expireAfter(new NearCacheEntry.Expiry())
			.evictionListener((key, entry, cause) -> this.counts.evictions.increment())
			// Maintenance (eviction, expiry, draining the write buffer) on the thread
			// that wrote: by default every fill hands it to ForkJoinPool.commonPool(), a
			// thread wake-up per miss.
			.executor(Runnable::run)
			.build();
		this.channel = new InvalidationChannel(store, redis, new InvalidationChannel.Listener() {

			@Override
			public void invalidated(byte[] entryKey) {
				invalidate(new NearCacheKey(entryKey));
			}

			@Override
			public void invalidatedAll() {
				NearCache.this.invalidateAll();
			}

		});
	}

	// ---- reads ----

	@Nullable KvStoredValue read(byte[] key, boolean withMetadata, boolean stream, @Nullable Long cacheTtl) {
		return this.counts.counted(uncounted(key, withMetadata, stream, cacheTtl));
	}

	List<@Nullable KvStoredValue> readAll(List<byte[]> keys, boolean withMetadata, LongConsumer sizeCheck) {
		List<@Nullable KvStoredValue> values = uncounted(keys, withMetadata, sizeCheck);
		values.forEach(this.counts::counted);
		return values;
	}

	private @Nullable KvStoredValue uncounted(byte[] key, boolean withMetadata, boolean stream,
			@Nullable Long cacheTtl) {
		if (stream) {
			KvStoredValue read = this.reader.read(key, withMetadata, true);
			return (read != null) ? read.withCacheStatus(KvStoredValue.BYPASS)
					: KvStoredValue.missing(KvStoredValue.MISS);
		}
		TrackingLink link = this.channel.usable();
		if (link == null) {
			return miss(this.reader.read(key, withMetadata, false));
		}
		byte[] entryKey = this.layout.entryKey(key);
		NearCacheKey cacheKey = new NearCacheKey(entryKey);
		long ttlNanos = ttlNanos(cacheTtl);
		NearCacheEntry cached = this.cache.getIfPresent(cacheKey);
		if (cached != null && cached.answers(System.nanoTime(), ttlNanos)) {
			return cached.hit(withMetadata);
		}
		Fill fill = new Fill(link, cacheKey, ttlNanos);
		try {
			return fill.complete(link, key, withMetadata);
		}
		catch (RuntimeException ex) {
			return failed(link, ex, () -> miss(this.reader.read(key, withMetadata, false)));
		}
	}

	private List<@Nullable KvStoredValue> uncounted(List<byte[]> keys, boolean withMetadata, LongConsumer sizeCheck) {
		TrackingLink link = this.channel.usable();
		if (link == null) {
			return missed(keys, withMetadata, sizeCheck);
		}
		long ttlNanos = ttlNanos(null);
		long now = System.nanoTime();
		NearCacheEntry[] hits = new NearCacheEntry[keys.size()];
		Fill[] fills = new Fill[keys.size()];
		for (int i = 0; i < keys.size(); i++) {
			NearCacheKey cacheKey = new NearCacheKey(this.layout.entryKey(keys.get(i)));
			NearCacheEntry cached = this.cache.getIfPresent(cacheKey);
			if (cached != null && cached.answers(now, ttlNanos)) {
				hits[i] = cached;
			}
			else {
				fills[i] = new Fill(link, cacheKey, ttlNanos);
			}
		}
		try {
			long total = 0;
			for (int i = 0; i < keys.size(); i++) {
				total += (hits[i] != null) ? hits[i].length() : fills[i].awaitLength();
			}
			sizeCheck.accept(total);
			List<@Nullable KvStoredValue> values = new ArrayList<>(keys.size());
			for (int i = 0; i < keys.size(); i++) {
				values.add((hits[i] != null) ? hits[i].hit(withMetadata)
						: fills[i].complete(link, keys.get(i), withMetadata));
			}
			return values;
		}
		catch (RuntimeException ex) {
			if (ex instanceof IllegalArgumentException) {
				throw ex; // the size check
			}
			return failed(link, ex, () -> missed(keys, withMetadata, sizeCheck));
		}
	}

	// A read of the tracking connection failed: the channel is suspect. A timeout is the
	// caller's error (Redis did not answer in time); a lost connection is retried over
	// the shared connection.
	private <T> T failed(TrackingLink link, RuntimeException ex, Supplier<T> retry) {
		this.channel.down(link, "a read failed (" + RedisErrors.rootMessage(ex) + ")");
		if (ex instanceof QueryTimeoutException) {
			throw ex;
		}
		return retry.get();
	}

	// A bulk read answered by Redis alone.
	private List<@Nullable KvStoredValue> missed(List<byte[]> keys, boolean withMetadata, LongConsumer sizeCheck) {
		List<@Nullable KvStoredValue> values = new ArrayList<>(keys.size());
		this.reader.readAll(keys, withMetadata, sizeCheck).forEach((value) -> values.add(miss(value)));
		return values;
	}

	private static @Nullable KvStoredValue miss(@Nullable KvStoredValue read) {
		return (read != null) ? read.withCacheStatus(KvStoredValue.MISS) : KvStoredValue.missing(KvStoredValue.MISS);
	}

	private long ttlNanos(@Nullable Long cacheTtl) {
		return (cacheTtl != null) ? TimeUnit.SECONDS.toNanos(cacheTtl) : this.settings.ttl().toNanos();
	}

	// The counter of a key's stripe.
	private long stamp(NearCacheKey key) {
		return this.stripes.get(key.stripe());
	}

	/**
	 * One read that may fill the cache: sent, to be completed. It captures the counters
	 * when Redis' reply is decoded, on Lettuce's event loop, in order with the
	 * invalidation messages of the same connection: an invalidation decoded before the
	 * reply is of a write that Redis ran before the read, which the read saw, so it does
	 * not cost the fill; one decoded after it is of a later write, and wins.
	 */
	private final class Fill {

		private final NearCacheKey key;

		private final long sent;

		private final long ttlNanos;

		private final CompletableFuture<byte[][]> header;

		private final AsyncCommand<byte[], byte[], Long> ttl;

		// Written on the event loop before the header completes, so read after it.
		private long epoch;

		private long stripe;

		Fill(TrackingLink link, NearCacheKey key, long ttlNanos) {
			this.key = key;
			this.sent = System.nanoTime();
			this.ttlNanos = ttlNanos;
			AsyncCommand<byte[], byte[], List<KeyValue<byte[], byte[]>>> hmget = HashReads.hmget(key.bytes,
					EntryLayout.READ_WITH_METADATA);
			this.header = hmget.thenApply((fields) -> {
				this.epoch = NearCache.this.epoch.get();
				this.stripe = stamp(key);
				return HashReads.values(fields);
			});
			this.ttl = HashReads.pttl(key.bytes);
			List<RedisCommand<byte[], byte[], ?>> commands = List.of(hmget, this.ttl);
			try {
				// Both in one write and one flush, so Redis reads them together and
				// answers both in one write.
				link.connection(key.bytes).dispatch(commands);
			}
			catch (RuntimeException ex) {
				hmget.completeExceptionally(ex);
				this.ttl.completeExceptionally(ex);
			}
		}

		long awaitLength() {
			byte[][] read = NearCache.this.redis.await(this.header);
			return (read[0] != null) ? read[0].length : (read[1] != null) ? EntryLayout.parseLong(read[2]) : 0;
		}

		@Nullable KvStoredValue complete(TrackingLink link, byte[] key, boolean withMetadata) {
			// The PTTL's reply comes after the header's: once it is in, so is the header,
			// and the caller waits (and is woken) once.
			long pttl = NearCache.this.redis.await(this.ttl);
			byte[][] read = NearCache.this.redis.await(this.header);
			byte[] inline = read[0];
			byte[] metadata = read[3];
			if (inline == null && read[1] != null) {
				// Over one chunk, so over the near cache's limit: the shared reader
				// assembles it.
				KvStoredValue large = NearCache.this.reader.read(key, withMetadata, false);
				return (large != null) ? large.withCacheStatus(KvStoredValue.BYPASS)
						: KvStoredValue.missing(KvStoredValue.MISS);
			}
			if (inline != null && inline.length > NearCache.this.settings.maxValueSize()) {
				return new KvStoredValue(inline, null, withMetadata ? metadata : null, inline.length,
						KvStoredValue.BYPASS);
			}
			long expires = (pttl >= 0) ? this.sent + TimeUnit.MILLISECONDS.toNanos(pttl) : Long.MAX_VALUE;
			NearCacheEntry entry = new NearCacheEntry(inline, metadata, this.sent, expires, this.ttlNanos);
			Runnable hook = NearCache.this.beforeInsert;
			if (hook != null) {
				hook.run();
			}
			insert(link, entry, pttl);
			return entry.answer(withMetadata, KvStoredValue.MISS);
		}

		private void insert(TrackingLink link, NearCacheEntry entry, long pttl) {
			if (kept(entry, pttl) && unchanged(link)) {
				NearCache.this.cache.put(this.key, entry);
				if (!unchanged(link)) {
					NearCache.this.cache.asMap().remove(this.key, entry);
				}
			}
		}

		// A key that vanished between HMGET and PTTL, or expired already, is not kept.
		private static boolean kept(NearCacheEntry entry, long pttl) {
			return entry.expiresNanos() > System.nanoTime() && !(entry.value() != null && pttl == -2);
		}

		private boolean unchanged(TrackingLink link) {
			return NearCache.this.channel.isCurrent(link) && NearCache.this.epoch.get() == this.epoch
					&& stamp(this.key) == this.stripe;
		}

	}

	// ---- invalidation ----

	/** A write through the store changed these entry keys: they are dropped at once. */
	void invalidate(byte[]... entryKeys) {
		for (byte[] entryKey : entryKeys) {
			invalidate(new NearCacheKey(entryKey));
		}
	}

	/** Every entry of the store may have changed (clear). */
	void invalidateAll() {
		this.epoch.incrementAndGet();
		this.cache.invalidateAll();
	}

	private void invalidate(NearCacheKey key) {
		this.stripes.incrementAndGet(key.stripe());
		this.cache.invalidate(key);
	}

	// ---- statistics ----

	@Override
	public long hitCount() {
		return this.counts.hits.sum();
	}

	@Override
	public long missCount() {
		return this.counts.misses.sum();
	}

	@Override
	public long bypassCount() {
		return this.counts.bypasses.sum();
	}

	@Override
	public long evictionCount() {
		return this.counts.evictions.sum();
	}

	@Override
	public long invalidationCount() {
		return this.channel.invalidations();
	}

	@Override
	public long size() {
		return this.cache.estimatedSize();
	}

	@Override
	public boolean isConnected() {
		return this.channel.isUp();
	}

	/** The invalidation channel, for tests. */
	InvalidationChannel channel() {
		return this.channel;
	}

	/** How many entries are kept once expired ones are dropped, for tests. */
	long cleanSize() {
		this.cache.cleanUp();
		return this.cache.estimatedSize();
	}

	@Override
	public void close() {
		this.channel.close();
		this.cache.invalidateAll();
	}

}
