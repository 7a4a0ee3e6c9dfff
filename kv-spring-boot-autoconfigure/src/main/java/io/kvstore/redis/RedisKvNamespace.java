package io.kvstore.redis;

import java.time.Clock;

import io.kvstore.KvNamespace;
import io.kvstore.core.AbstractKvNamespace;
import io.kvstore.core.KvChecks;
import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvReplicaAckSettings;
import io.kvstore.core.KvStoreSettings;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link KvNamespace} kept in Redis: the contract's checks and observation
 * ({@link AbstractKvNamespace}) over {@link RedisStorage}, in the layout that
 * {@link EntryLayout} describes.
 */
public final class RedisKvNamespace extends AbstractKvNamespace implements AutoCloseable {

	private final RedisStorage storage;

	/**
	 * Creates a store with the given settings.
	 * @param name the store name: lowercase letters, digits and {@code -}, starting with
	 * a letter, at most 63 characters
	 * @param settings the store's settings
	 * @param redis the connection the stores share
	 * @param jsonMapper the mapper for JSON values and metadata
	 */
	public RedisKvNamespace(String name, KvStoreSettings settings, KvRedisConnection redis, JsonMapper jsonMapper) {
		this(name, settings, redis, jsonMapper, Clock.systemUTC());
	}

	/**
	 * Creates a store with the given settings and clock (the clock checks absolute
	 * expirations; time to live is measured by Redis).
	 * @param name the store name
	 * @param settings the store's settings
	 * @param redis the connection the stores share
	 * @param jsonMapper the mapper for JSON values and metadata
	 * @param clock the clock that absolute expirations are checked against
	 */
	public RedisKvNamespace(String name, KvStoreSettings settings, KvRedisConnection redis, JsonMapper jsonMapper,
			Clock clock) {
		this(name, settings, redis, jsonMapper, clock, ObservationRegistry.NOOP);
	}

	/**
	 * Creates a store whose operations are observed (timed as {@code kv.operations},
	 * traced).
	 * @param name the store name
	 * @param settings the store's settings
	 * @param redis the connection the stores share
	 * @param jsonMapper the mapper for JSON values and metadata
	 * @param clock the clock that absolute expirations are checked against
	 * @param observationRegistry where observations go; {@link ObservationRegistry#NOOP}
	 * for none, which costs nothing
	 */
	public RedisKvNamespace(String name, KvStoreSettings settings, KvRedisConnection redis, JsonMapper jsonMapper,
			Clock clock, ObservationRegistry observationRegistry) {
		this(name, settings, null, redis, jsonMapper, clock, observationRegistry);
	}

	/**
	 * Creates a store with a near cache: reads kept in the application's memory
	 * (Caffeine, which must be on the class path), invalidated by Redis.
	 * @param name the store name
	 * @param settings the store's settings
	 * @param nearCache the near cache's settings, or {@code null} for none
	 * @param redis the connection the stores share
	 * @param jsonMapper the mapper for JSON values and metadata
	 * @param clock the clock that absolute expirations are checked against
	 * @param observationRegistry where observations go
	 */
	public RedisKvNamespace(String name, KvStoreSettings settings, @Nullable KvNearCacheSettings nearCache,
			KvRedisConnection redis, JsonMapper jsonMapper, Clock clock, ObservationRegistry observationRegistry) {
		this(name, settings, nearCache, KvReplicaAckSettings.NONE, redis, jsonMapper, clock, observationRegistry);
	}

	/**
	 * Creates a store whose puts and deletes return once the given number of replicas
	 * have them ({@code WAIT} after each write, in the same round trip), and fail with a
	 * {@link KvReplicaAckException} when fewer do within the timeout.
	 * @param name the store name
	 * @param settings the store's settings
	 * @param nearCache the near cache's settings, or {@code null} for none
	 * @param replicaAck how many replicas each write waits for, and how long
	 * @param redis the connection the stores share
	 * @param jsonMapper the mapper for JSON values and metadata
	 * @param clock the clock that absolute expirations are checked against
	 * @param observationRegistry where observations go
	 * @throws IllegalArgumentException when the store waits for replicas on a Redis
	 * Cluster, where that is not supported
	 */
	public RedisKvNamespace(String name, KvStoreSettings settings, @Nullable KvNearCacheSettings nearCache,
			KvReplicaAckSettings replicaAck, KvRedisConnection redis, JsonMapper jsonMapper, Clock clock,
			ObservationRegistry observationRegistry) {
		this(name, settings, jsonMapper, clock, observationRegistry,
				storage(name, settings, nearCache, replicaAck, redis));
	}

	private RedisKvNamespace(String name, KvStoreSettings settings, JsonMapper jsonMapper, Clock clock,
			ObservationRegistry observationRegistry, RedisStorage storage) {
		super(name, settings, jsonMapper, clock, observationRegistry, storage);
		this.storage = storage;
	}

	private static RedisStorage storage(String name, @Nullable KvStoreSettings settings,
			@Nullable KvNearCacheSettings nearCache, @Nullable KvReplicaAckSettings replicaAck,
			@Nullable KvRedisConnection redis) {
		KvChecks.checkStoreName(name);
		KvStoreSettings checked = KvChecks.notNull("settings", settings);
		KvReplicaAckSettings ack = KvChecks.notNull("replicaAck", replicaAck);
		KvRedisConnection connection = KvChecks.notNull("redis", redis);
		if (ack.waits() && connection.isCluster()) {
			// WAIT goes to the node of the connection, not to the master of the key's
			// slot.
			throw new IllegalArgumentException("'replicaAck' must wait for no replica on a Redis Cluster (waiting for "
					+ "replicas is supported on a single Redis and with Sentinel), was " + ack.replicas()
					+ " replicas");
		}
		return new RedisStorage(name, checked.keyPrefix(), checked.maxKeySize(), connection, nearCache, ack);
	}

	/** The near cache, for tests; {@code null} when the store has none. */
	@Nullable NearCache nearCache() {
		return this.storage.nearCache();
	}

	/**
	 * What the store's near cache counted, live (for meters and health).
	 * @return the statistics, or {@code null} when the store has no near cache
	 */
	public @Nullable KvNearCacheStatistics nearCacheStatistics() {
		return this.storage.nearCache();
	}

	/**
	 * Closes the store's near cache (its connection and heartbeat), if it has one; the
	 * shared connection stays open.
	 */
	@Override
	public void close() {
		this.storage.close();
	}

}
