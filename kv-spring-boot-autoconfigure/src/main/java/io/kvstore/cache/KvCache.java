package io.kvstore.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import io.kvstore.KvNamespace;
import io.kvstore.KvSerializationException;
import io.kvstore.KvType;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.support.NullValue;
import org.springframework.cache.support.SimpleValueWrapper;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * A Spring {@link Cache} over one KV store: a cache key is its {@code toString()}, a
 * value is JSON ({@link KvCacheValues}) put with the store's {@code default-ttl} (none:
 * persistent), readable with {@code get(key, KvType.JSON)}, and read back as the type it
 * was put as when that type is allowed. {@code null} values are cached only when allowed
 * ({@code kv.cache.cache-null-values}). {@link #get(Object, Callable)} computes a missing
 * value once per key in this application, however many threads ask at once; across
 * applications each may compute it once. Counts gets, hits, misses, puts and evictions
 * for metrics.
 */
public final class KvCache implements Cache {

	private final KvNamespace store;

	private final KvCacheValues values;

	private final boolean cacheNullValues;

	private final ConcurrentHashMap<String, ReentrantLock> loading = new ConcurrentHashMap<>();

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder puts = new LongAdder();

	private final LongAdder evictions = new LongAdder();

	/**
	 * A cache over a store.
	 * @param store the store, whose name is the cache's
	 * @param values how values become JSON and back
	 * @param cacheNullValues whether {@code null} values are cached
	 */
	public KvCache(KvNamespace store, KvCacheValues values, boolean cacheNullValues) {
		this.store = store;
		this.values = values;
		this.cacheNullValues = cacheNullValues;
	}

	@Override
	public String getName() {
		return this.store.name();
	}

	@Override
	public KvNamespace getNativeCache() {
		return this.store;
	}

	@Override
	public @Nullable ValueWrapper get(Object key) {
		byte[] json = this.store.get(key(key), KvType.BYTES);
		if (json == null) {
			this.misses.increment();
			return null;
		}
		this.hits.increment();
		Object value = read(key, json);
		return new SimpleValueWrapper((value instanceof NullValue) ? null : value);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
		ValueWrapper wrapper = get(key);
		Object value = (wrapper != null) ? wrapper.get() : null;
		if (value != null && type != null && !type.isInstance(value)) {
			throw new IllegalStateException("The cached value of key '" + key + "' in cache '" + getName() + "' is a "
					+ value.getClass().getName() + ", not a " + type.getName());
		}
		return (T) value;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		ValueWrapper cached = get(key);
		if (cached != null) {
			return (T) cached.get();
		}
		String name = key(key);
		ReentrantLock lock = this.loading.computeIfAbsent(name, (ignored) -> new ReentrantLock());
		lock.lock();
		try {
			// Another thread may have computed it while this one waited.
			cached = get(key);
			if (cached != null) {
				return (T) cached.get();
			}
			T value;
			try {
				value = valueLoader.call();
			}
			catch (Exception ex) {
				throw new ValueRetrievalException(key, valueLoader, ex);
			}
			put(key, value);
			return value;
		}
		finally {
			lock.unlock();
			if (!lock.hasQueuedThreads()) {
				this.loading.remove(name, lock);
			}
		}
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		if (value == null && !this.cacheNullValues) {
			// Spring's own caches refuse null unless allowed; here null is simply not
			// cached.
			evict(key);
			return;
		}
		if (value != null && !this.values.isAllowed(value.getClass())) {
			throw new IllegalArgumentException("Cannot cache a " + value.getClass().getName() + " in cache '"
					+ getName() + "': it could not be read back, because only types of the allowed packages are "
					+ this.values.allowedPackages() + "; add its package to kv.cache.allowed-packages");
		}
		this.store.put(key(key), this.values.write(value));
		this.puts.increment();
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		ValueWrapper existing = get(key);
		if (existing == null) {
			put(key, value);
		}
		return existing;
	}

	@Override
	public void evict(Object key) {
		this.store.delete(key(key));
		this.evictions.increment();
	}

	@Override
	public boolean evictIfPresent(Object key) {
		boolean present = this.store.get(key(key), KvType.BYTES) != null;
		evict(key);
		return present;
	}

	@Override
	public void clear() {
		this.store.clear();
	}

	@Override
	public boolean invalidate() {
		return this.store.clear() > 0;
	}

	/**
	 * How many reads found their key.
	 * @return the hits so far
	 */
	public long hitCount() {
		return this.hits.sum();
	}

	/**
	 * How many reads did not find their key.
	 * @return the misses so far
	 */
	public long missCount() {
		return this.misses.sum();
	}

	/**
	 * How many values were put.
	 * @return the puts so far
	 */
	public long putCount() {
		return this.puts.sum();
	}

	/**
	 * How many keys were evicted.
	 * @return the evictions so far
	 */
	public long evictionCount() {
		return this.evictions.sum();
	}

	private Object read(Object key, byte[] json) {
		try {
			return this.values.read(json);
		}
		catch (SerializationException ex) {
			throw new KvSerializationException(key(key),
					"The cached value of key '" + key + "' in cache '" + getName() + "' cannot be read back: "
							+ rootMessage(ex) + ". Only types of the allowed packages are read "
							+ this.values.allowedPackages() + " (kv.cache.allowed-packages)",
					ex);
		}
	}

	private static String key(Object key) {
		return key.toString();
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

}
