package io.kvstore.redis;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvStoredValue;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.protocol.ProtocolVersion;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.QueryTimeoutException;

/**
 * The near cache of one store: reads kept in the application's memory (Caffeine),
 * answered only while Redis can tell when they change.
 * <p>
 * <b>Invalidation channel.</b> Reads that may fill the cache go over a connection of the
 * store's own, with {@code CLIENT TRACKING ON} (default mode, RESP3): Redis remembers the
 * keys that connection read and pushes an {@code invalidate} message on that same
 * connection when one changes (or is deleted, expires or evicted; {@code null} for a
 * flush). Because the push travels on the connection that read, it reaches the client
 * before the reply to any later command on it.
 * <p>
 * <b>No stale fill.</b> Every invalidation first bumps a counter (one of
 * {@value #STRIPES} stripes by key hash, or the epoch for a flush or a channel change),
 * then removes the key. A fill captures the counters before it sends its reads, inserts
 * only if they did not move, and removes what it inserted if they moved meanwhile. So an
 * invalidation that arrives while a read is in flight always wins.
 * <p>
 * <b>Channel health.</b> The cache answers only while the channel is up and answered a
 * {@code PING} sent less than the command timeout ago (a heartbeat pings every quarter of
 * it, at most every second). A disconnect, a failed or late {@code PING} takes the
 * channel down: the cache is emptied and answers nothing (reads go to Redis,
 * {@code MISS}) until a new connection has tracking on; it is emptied again before it is
 * used.
 * <p>
 * <b>Expiry.</b> With each fill the key's {@code PTTL} is read in the same pipeline; the
 * entry is not answered past the time the read was sent plus that TTL, so never past the
 * key's expiry (on the monotonic clock, whatever the clocks of client and Redis say).
 * <p>
 * Writes through the store invalidate locally once Redis acknowledged them, so the next
 * read in this application sees them at once.
 */
final class NearCache implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(NearCache.class);

	static final int STRIPES = 1024;

	private final String store;

	private final KvRedisConnection redis;

	private final EntryLayout layout;

	private final EntryReader reader;

	private final KvNearCacheSettings settings;

	private final Cache<Key, Entry> cache;

	private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);

	private final AtomicLong epoch = new AtomicLong();

	private final AtomicLong invalidations = new AtomicLong();

	private final AtomicLong connects = new AtomicLong();

	private final AtomicBoolean pingInFlight = new AtomicBoolean();

	private final Object lock = new Object();

	private final ScheduledExecutorService heartbeat;

	// Set only by connect(), cleared only by a compare-and-set in down(), which runs on
	// Lettuce's event loop too and so must never wait for a lock that connect() holds
	// while
	// it waits for that event loop.
	private final java.util.concurrent.atomic.AtomicReference<@Nullable Channel> channel = new java.util.concurrent.atomic.AtomicReference<>();

	private volatile long lastPongNanos;

	private volatile boolean started;

	private volatile boolean closed;

	private volatile boolean warned;

	/** A test hook, run after a fill's replies arrived and before it is inserted. */
	volatile @Nullable Runnable beforeInsert;

	NearCache(String store, KvRedisConnection redis, EntryLayout layout, EntryReader reader,
			KvNearCacheSettings settings) {
		this.store = store;
		this.redis = redis;
		this.layout = layout;
		this.reader = reader;
		this.settings = settings;
		this.cache = Caffeine.newBuilder().maximumSize(settings.maxEntries()).expireAfter(new EntryExpiry()).build();
		this.heartbeat = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "kv-near-cache-" + store);
			thread.setDaemon(true);
			return thread;
		});
	}

	// ---- reads ----

	@Nullable KvStoredValue read(byte[] key, boolean withMetadata, boolean stream, @Nullable Long cacheTtl) {
		if (stream) {
			KvStoredValue read = this.reader.read(key, withMetadata, true);
			return (read != null) ? read.withCacheStatus(KvStoredValue.BYPASS)
					: KvStoredValue.missing(KvStoredValue.MISS);
		}
		Channel channel = usable();
		if (channel == null) {
			return miss(this.reader.read(key, withMetadata, false));
		}
		byte[] entryKey = this.layout.entryKey(key);
		Key cacheKey = new Key(entryKey);
		long ttlNanos = ttlNanos(cacheTtl);
		Entry cached = this.cache.getIfPresent(cacheKey);
		if (cached != null && cached.answers(System.nanoTime(), ttlNanos)) {
			return cached.hit(withMetadata);
		}
		Fill fill = send(channel, cacheKey, ttlNanos);
		try {
			return fill.complete(channel, key, withMetadata);
		}
		catch (RuntimeException ex) {
			return failed(channel, ex, () -> miss(this.reader.read(key, withMetadata, false)));
		}
	}

	List<@Nullable KvStoredValue> readAll(List<byte[]> keys, boolean withMetadata, LongConsumer sizeCheck) {
		Channel channel = usable();
		if (channel == null) {
			List<@Nullable KvStoredValue> read = this.reader.readAll(keys, withMetadata, sizeCheck);
			List<@Nullable KvStoredValue> values = new ArrayList<>(read.size());
			read.forEach((value) -> values.add(miss(value)));
			return values;
		}
		long ttlNanos = ttlNanos(null);
		long now = System.nanoTime();
		Entry[] hits = new Entry[keys.size()];
		Fill[] fills = new Fill[keys.size()];
		for (int i = 0; i < keys.size(); i++) {
			Key cacheKey = new Key(this.layout.entryKey(keys.get(i)));
			Entry cached = this.cache.getIfPresent(cacheKey);
			if (cached != null && cached.answers(now, ttlNanos)) {
				hits[i] = cached;
			}
			else {
				fills[i] = send(channel, cacheKey, ttlNanos);
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
						: fills[i].complete(channel, keys.get(i), withMetadata));
			}
			return values;
		}
		catch (RuntimeException ex) {
			if (ex instanceof IllegalArgumentException) {
				throw ex; // the size check
			}
			return failed(channel, ex, () -> {
				List<@Nullable KvStoredValue> values = new ArrayList<>(keys.size());
				this.reader.readAll(keys, withMetadata, sizeCheck).forEach((value) -> values.add(miss(value)));
				return values;
			});
		}
	}

	// A read of the tracking connection failed: the channel is suspect. A timeout is the
	// caller's error (Redis did not answer in time); a lost connection is retried over
	// the
	// shared connection.
	private <T> T failed(Channel channel, RuntimeException ex, java.util.function.Supplier<T> retry) {
		down(channel, "a read failed (" + RedisErrors.rootMessage(ex) + ")");
		if (ex instanceof QueryTimeoutException) {
			throw ex;
		}
		return retry.get();
	}

	private static @Nullable KvStoredValue miss(@Nullable KvStoredValue read) {
		return (read != null) ? read.withCacheStatus(KvStoredValue.MISS) : KvStoredValue.missing(KvStoredValue.MISS);
	}

	private long ttlNanos(@Nullable Long cacheTtl) {
		return (cacheTtl != null) ? TimeUnit.SECONDS.toNanos(cacheTtl) : this.settings.ttl().toNanos();
	}

	// The counters a fill of a key must find unchanged.
	private long stamp(Key key) {
		return this.stripes.get(key.stripe());
	}

	private Fill send(Channel channel, Key key, long ttlNanos) {
		long epoch = this.epoch.get();
		long stripe = stamp(key);
		long sent = System.nanoTime();
		CompletableFuture<byte[][]> header = channel.connection.async()
			.hmget(key.bytes, EntryLayout.READ_WITH_METADATA)
			.toCompletableFuture()
			.thenApply(KvRedisConnection::values);
		CompletableFuture<Long> ttl = channel.connection.async().pttl(key.bytes).toCompletableFuture();
		return new Fill(key, epoch, stripe, sent, ttlNanos, header, ttl);
	}

	/** One read that may fill the cache: sent, to be completed. */
	private final class Fill {

		private final Key key;

		private final long epoch;

		private final long stripe;

		private final long sent;

		private final long ttlNanos;

		private final CompletableFuture<byte[][]> header;

		private final CompletableFuture<Long> ttl;

		Fill(Key key, long epoch, long stripe, long sent, long ttlNanos, CompletableFuture<byte[][]> header,
				CompletableFuture<Long> ttl) {
			this.key = key;
			this.epoch = epoch;
			this.stripe = stripe;
			this.sent = sent;
			this.ttlNanos = ttlNanos;
			this.header = header;
			this.ttl = ttl;
		}

		long awaitLength() {
			byte[][] read = NearCache.this.redis.await(this.header);
			return (read[0] != null) ? read[0].length : (read[1] != null) ? EntryLayout.parseLong(read[2]) : 0;
		}

		@Nullable KvStoredValue complete(Channel channel, byte[] key, boolean withMetadata) {
			byte[][] read = NearCache.this.redis.await(this.header);
			long pttl = NearCache.this.redis.await(this.ttl);
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
			Entry entry = new Entry(inline, metadata, this.sent, expires, this.ttlNanos);
			Runnable hook = NearCache.this.beforeInsert;
			if (hook != null) {
				hook.run();
			}
			insert(channel, entry);
			return entry.answer(withMetadata, KvStoredValue.MISS);
		}

		private void insert(Channel channel, Entry entry) {
			if (pttl(entry) && unchanged(channel)) {
				NearCache.this.cache.put(this.key, entry);
				if (!unchanged(channel)) {
					NearCache.this.cache.asMap().remove(this.key, entry);
				}
			}
		}

		// A key that vanished between HMGET and PTTL, or expired already, is not kept.
		private boolean pttl(Entry entry) {
			return entry.expiresNanos > System.nanoTime()
					&& !(entry.value != null && NearCache.this.redis.await(this.ttl) == -2);
		}

		private boolean unchanged(Channel channel) {
			return NearCache.this.channel.get() == channel && NearCache.this.epoch.get() == this.epoch
					&& stamp(this.key) == this.stripe;
		}

	}

	// ---- invalidation ----

	/** A write through the store changed these entry keys: they are dropped at once. */
	void invalidate(byte[]... entryKeys) {
		for (byte[] entryKey : entryKeys) {
			invalidate(new Key(entryKey));
		}
	}

	/** Every entry of the store may have changed (clear). */
	void invalidateAll() {
		this.epoch.incrementAndGet();
		this.cache.invalidateAll();
	}

	private void invalidate(Key key) {
		this.stripes.incrementAndGet(key.stripe());
		this.cache.invalidate(key);
	}

	/** How many invalidation messages Redis pushed, for tests. */
	long invalidations() {
		return this.invalidations.get();
	}

	/** How often the channel was opened, for tests. */
	long connects() {
		return this.connects.get();
	}

	/** How many entries are kept, for tests. */
	long size() {
		this.cache.cleanUp();
		return this.cache.estimatedSize();
	}

	/** Whether the channel is up and fresh, so that the cache may answer. */
	boolean isUp() {
		return usable() != null;
	}

	private void onPush(Channel channel, PushMessage message) {
		if (!"invalidate".equals(message.getType())) {
			return;
		}
		List<Object> content = message.getContent(NearCache::bytes);
		this.invalidations.incrementAndGet();
		Object keys = (content.size() > 1) ? content.get(1) : null;
		if (keys instanceof List<?> list) {
			for (Object key : list) {
				if (key instanceof byte[] bytes) {
					invalidate(new Key(bytes));
				}
			}
		}
		else {
			// A flush (FLUSHALL / FLUSHDB), or Redis forgot what this connection read.
			invalidateAll();
		}
	}

	private static Object bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	// ---- the channel ----

	// The channel when the cache may answer: up, and its last PING answered within the
	// command timeout. The first use opens it.
	private @Nullable Channel usable() {
		Channel current = this.channel.get();
		if (current == null && !this.started) {
			start();
			current = this.channel.get();
		}
		if (current == null) {
			return null;
		}
		if (System.nanoTime() - this.lastPongNanos >= current.timeoutNanos) {
			return null;
		}
		return current;
	}

	private void start() {
		synchronized (this.lock) {
			if (this.started || this.closed) {
				return;
			}
			this.started = true;
			connect();
			long interval = Math.max(10, Math.min(1000, this.redis.timeout().toMillis() / 4));
			this.heartbeat.scheduleWithFixedDelay(this::beat, interval, interval, TimeUnit.MILLISECONDS);
		}
	}

	private void beat() {
		try {
			Channel current = this.channel.get();
			if (this.closed) {
				return;
			}
			if (current == null) {
				connect();
				return;
			}
			if (System.nanoTime() - this.lastPongNanos >= current.timeoutNanos) {
				down(current, "no answer to PING within the command timeout ("
						+ Duration.ofNanos(current.timeoutNanos).toMillis() + " ms)");
				return;
			}
			if (this.pingInFlight.compareAndSet(false, true)) {
				long sent = System.nanoTime();
				current.connection.async().ping().whenComplete((pong, failure) -> {
					this.pingInFlight.set(false);
					if (failure == null && this.channel.get() == current) {
						// Every push Redis sent before it ran this PING has arrived.
						this.lastPongNanos = Math.max(this.lastPongNanos, sent);
					}
				});
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Near cache heartbeat of store '" + this.store + "' failed", ex);
		}
	}

	// Opens a connection, turns tracking on, empties the cache and then lets it answer.
	private void connect() {
		synchronized (this.lock) {
			if (this.closed || this.channel.get() != null) {
				return;
			}
			StatefulRedisConnection<byte[], byte[]> connection = null;
			try {
				connection = this.redis.openDedicated();
				if (connection == null) {
					warnOnce("Redis is a cluster, where the near cache is not supported yet: every read of store '"
							+ this.store + "' goes to Redis (cacheStatus MISS)");
					return;
				}
				if (connection.getOptions().getConfiguredProtocolVersion() == ProtocolVersion.RESP2) {
					warnOnce("the Lettuce client is configured for RESP2, which has no invalidation messages: every "
							+ "read of store '" + this.store + "' goes to Redis (cacheStatus MISS)");
					connection.close();
					return;
				}
				Channel opened = new Channel(connection, connection.getTimeout().toNanos(),
						this.redis.await(connection.async().clientId()));
				connection.addListener((PushListener) (message) -> onPush(opened, message));
				((RedisChannelHandler<?, ?>) connection).addListener(new RedisConnectionStateListener() {
					@Override
					public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
						down(opened, "its connection was lost");
					}
				});
				long sent = System.nanoTime();
				this.redis.await(connection.async().clientTracking(TrackingArgs.Builder.enabled()));
				this.epoch.incrementAndGet();
				this.cache.invalidateAll();
				this.lastPongNanos = sent;
				this.pingInFlight.set(false);
				this.channel.set(opened);
				this.connects.incrementAndGet();
				if (!connection.isOpen()) {
					down(opened, "its connection was lost while tracking was turned on");
					return;
				}
				if (this.warned) {
					logger.info("Near cache of store '" + this.store + "': invalidation channel is up again");
				}
				this.warned = false;
			}
			catch (RuntimeException ex) {
				if (connection != null) {
					connection.closeAsync();
				}
				warnOnce("Near cache of store '" + this.store + "' cannot open its invalidation channel ("
						+ RedisErrors.rootMessage(ex) + "); reads go to Redis until it can");
			}
		}
	}

	private void warnOnce(String message) {
		if (!this.warned) {
			this.warned = true;
			logger.warn(message);
		}
	}

	// The channel stopped: the cache answers nothing and is emptied; the heartbeat opens
	// a new one.
	private void down(Channel channel, String reason) {
		if (this.channel.compareAndSet(channel, null)) {
			this.epoch.incrementAndGet();
			this.cache.invalidateAll();
			if (!this.closed) {
				warnOnce("Near cache of store '" + this.store + "': invalidation channel is down (" + reason
						+ "); reads go to Redis until it is up again");
			}
		}
		channel.connection.closeAsync();
	}

	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
		}
		this.heartbeat.shutdownNow();
		Channel current = this.channel.get();
		if (current != null) {
			down(current, "closed");
		}
		this.cache.invalidateAll();
	}

	/** The client ID of the channel's connection, for tests; -1 while it is down. */
	long channelId() {
		Channel current = this.channel.get();
		return (current != null) ? current.id : -1;
	}

	/** An open invalidation channel. */
	private record Channel(StatefulRedisConnection<byte[], byte[]> connection, long timeoutNanos, long id) {
	}

	/** An entry key, compared by its bytes. */
	private static final class Key {

		final byte[] bytes;

		private final int hash;

		Key(byte[] bytes) {
			this.bytes = bytes;
			this.hash = Arrays.hashCode(bytes);
		}

		int stripe() {
			return (this.hash ^ (this.hash >>> 16)) & (STRIPES - 1);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Key key && key.hash == this.hash && Arrays.equals(key.bytes, this.bytes);
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

	/**
	 * A cached answer: the value (or {@code null} for a missing key) and metadata, when
	 * Redis answered (the read's send time), until when the key lives, and how long the
	 * read that filled it asked to keep it.
	 */
	private record Entry(byte @Nullable [] value, byte @Nullable [] metadata, long filledNanos, long expiresNanos,
			long keepNanos) {

		boolean answers(long now, long ttlNanos) {
			return now - this.filledNanos < ttlNanos && now < this.expiresNanos;
		}

		long length() {
			return (this.value != null) ? this.value.length : 0;
		}

		KvStoredValue hit(boolean withMetadata) {
			return answer(withMetadata, KvStoredValue.HIT);
		}

		// A copy, so that a caller that changes the bytes it got changes nothing cached.
		KvStoredValue answer(boolean withMetadata, String status) {
			if (this.value == null) {
				return KvStoredValue.missing(status);
			}
			return new KvStoredValue(this.value.clone(), null, withMetadata ? this.metadata : null, this.value.length,
					status);
		}

	}

	// Each entry is dropped once the read that filled it no longer lets it answer, or the
	// key
	// expires; reads with a shorter cacheTtl check the age themselves.
	private static final class EntryExpiry implements Expiry<Key, Entry> {

		@Override
		public long expireAfterCreate(Key key, Entry entry, long currentTime) {
			long now = System.nanoTime();
			long keep = entry.filledNanos + entry.keepNanos - now;
			long live = (entry.expiresNanos == Long.MAX_VALUE) ? Long.MAX_VALUE : entry.expiresNanos - now;
			return Math.max(0, Math.min(keep, live));
		}

		@Override
		public long expireAfterUpdate(Key key, Entry entry, long currentTime, long currentDuration) {
			return expireAfterCreate(key, entry, currentTime);
		}

		@Override
		public long expireAfterRead(Key key, Entry entry, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
