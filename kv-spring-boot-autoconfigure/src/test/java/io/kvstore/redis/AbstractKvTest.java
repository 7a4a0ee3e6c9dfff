package io.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kvstore.core.AbstractKvNamespace;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.memory.MemoryEntries;
import io.kvstore.memory.MemoryKvNamespace;
import io.kvstore.test.RedisCluster;
import io.kvstore.test.RedisExtension;
import io.kvstore.test.RedisServer;
import io.kvstore.test.ServerBinary;
import io.kvstore.test.TestRedis;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the tests that run stores on a {@link Topology}: against a real Redis (an empty
 * Redis per test, a connection per test, raw checks of what is in Redis) or in memory
 * (fresh {@link MemoryKvNamespace}s per test, checked by what their maps hold). The
 * helpers that tell what is stored ({@link #snapshot()}, {@link #ttlMillis},
 * {@link #expiresAtMillis(AbstractKvNamespace, String)}, {@link #storedMetadata}) work on
 * every topology; those that inspect Redis itself ({@link #allKeys()},
 * {@link #commandCalls}, {@link #expiresAtMillis(byte[])}, {@link #withListenedStore})
 * refuse to run on {@link Topology#MEMORY}, so that no test passes by looking at an empty
 * Redis.
 */
@ExtendWith(RedisExtension.class)
abstract class AbstractKvTest {

	/**
	 * Where a test runs: a single Redis of the {@code PATH} (Redis 7 here), a single
	 * server of each {@link ServerBinary} (Redis 6.2, Redis 8.0, Valkey 8.0, Valkey 8.1;
	 * a missing one is skipped, saying how to get it), the shared 3-master cluster, or
	 * the in-memory backend.
	 */
	enum Topology {

		STANDALONE(null), REDIS_6_2(ServerBinary.REDIS_6_2), REDIS_8(ServerBinary.REDIS_8),
		VALKEY_8_0(ServerBinary.VALKEY_8_0), VALKEY_8_1(ServerBinary.VALKEY_8_1), CLUSTER(null), MEMORY(null);

		/**
		 * The server of a single-server topology of its own, {@code null} for the others.
		 */
		final ServerBinary server;

		Topology(ServerBinary server) {
			this.server = server;
		}

	}

	/**
	 * Set by {@link OnEveryTopology} or {@link OnEveryRedisTopology}; a class without
	 * either runs on a single Redis.
	 */
	@Parameter
	protected Topology topology;

	/**
	 * The Redis of the topology; on {@link Topology#MEMORY} the class's own server, so
	 * that nothing is null, but it holds nothing of a memory store.
	 */
	protected TestRedis redis;

	protected KvRedisConnection connection;

	protected final JsonMapper jsonMapper = JsonMapper.builder().build();

	/** The memory stores this test made, which {@link #snapshot()} describes. */
	private final List<MemoryKvNamespace> memoryStores = new ArrayList<>();

	@BeforeEach
	void startWithEmptyRedis(RedisServer server) {
		Topology topology = (this.topology != null) ? this.topology : Topology.STANDALONE;
		if (topology.server != null) {
			topology.server.assumeAvailable();
		}
		this.redis = switch (topology) {
			case CLUSTER -> RedisCluster.shared();
			case REDIS_6_2, REDIS_8, VALKEY_8_0, VALKEY_8_1 -> RedisServer.shared(topology.server);
			case STANDALONE, MEMORY -> server;
		};
		this.redis.flushAll();
		this.connection = new KvRedisConnection(this.redis.client());
	}

	@AfterEach
	void closeConnection() {
		if (this.connection != null) { // null when the topology was skipped
			this.connection.close();
		}
		// Frees the heap of large values at once.
		this.memoryStores.forEach(MemoryKvNamespace::clear);
		this.memoryStores.clear();
	}

	/** Whether this test runs on the in-memory backend. */
	protected boolean isMemory() {
		return this.topology == Topology.MEMORY;
	}

	protected AbstractKvNamespace store(String name) {
		return store(name, KvStoreSettings.defaults(name));
	}

	protected AbstractKvNamespace store(String name, KvStoreSettings settings) {
		return store(name, settings, Clock.systemUTC());
	}

	protected AbstractKvNamespace store(String name, KvStoreSettings settings, Clock clock) {
		return store(name, settings, clock, this.jsonMapper);
	}

	/**
	 * A store of this topology: a {@link RedisKvNamespace} on the test's connection, or a
	 * {@link MemoryKvNamespace} that expires its entries by the given clock.
	 */
	protected AbstractKvNamespace store(String name, KvStoreSettings settings, Clock clock, JsonMapper jsonMapper) {
		if (!isMemory()) {
			return new RedisKvNamespace(name, settings, this.connection, jsonMapper, clock);
		}
		MemoryKvNamespace store = new MemoryKvNamespace(name, settings, jsonMapper, clock, ObservationRegistry.NOOP);
		this.memoryStores.add(store);
		return store;
	}

	/** A store whose minimum TTL is one second, to test real expiry quickly. */
	protected AbstractKvNamespace shortLivedStore(String name) {
		return store(name, KvStoreSettings.defaults(name).withMinTtl(Duration.ofSeconds(1)));
	}

	/**
	 * Everything stored, described, to show that a refused call wrote nothing: every key
	 * in Redis with a dump of its content, or every entry of every memory store of this
	 * test (value as hex, metadata, expiry) as its map holds it.
	 */
	protected Map<String, String> snapshot() {
		Map<String, String> keys = new TreeMap<>();
		if (isMemory()) {
			if (this.memoryStores.isEmpty()) {
				throw new IllegalStateException("snapshot() of a test that made no memory store would prove nothing");
			}
			this.memoryStores.forEach((store) -> keys.putAll(MemoryEntries.describe(store)));
			return keys;
		}
		for (byte[] key : scanAll()) {
			byte[] dump = this.redis.rawBinary().dump(key);
			keys.put(HexFormat.of().formatHex(key), (dump != null)
					? HexFormat.of().formatHex(dump) + "/ttl=" + (this.redis.rawBinary().pttl(key) > 0) : "gone");
		}
		return keys;
	}

	/** Every key in Redis (not on {@link Topology#MEMORY}). */
	protected List<byte[]> allKeys() {
		requireRedis("allKeys()");
		return scanAll();
	}

	private List<byte[]> scanAll() {
		List<byte[]> keys = new ArrayList<>();
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<byte[]> page = this.redis.rawBinary().scan(cursor, ScanArgs.Builder.limit(1000));
			keys.addAll(page.getKeys());
			cursor = page;
		}
		while (!cursor.isFinished());
		return keys;
	}

	/** How often Redis ran a command (not on {@link Topology#MEMORY}). */
	protected long commandCalls(String command) {
		requireRedis("commandCalls()");
		return this.redis.commandCalls(command);
	}

	/**
	 * How long an entry has left to live, in milliseconds, as {@code PTTL} gives it: from
	 * Redis, or from the memory entry and the store's clock. {@code -1} for an entry that
	 * never expires, {@code -2} for none.
	 */
	protected long ttlMillis(AbstractKvNamespace store, String key) {
		if (!isMemory()) {
			return this.redis.rawBinary().pttl(redisKey(store, key));
		}
		MemoryEntries.StoredEntry entry = MemoryEntries.entry(store, key);
		if (entry == null) {
			return -2;
		}
		return entry.neverExpires() ? -1 : entry.expiresAt() - MemoryEntries.nowMillis(store);
	}

	/**
	 * When an entry expires, in epoch milliseconds: from Redis (see
	 * {@link #expiresAtMillis(byte[])}) or exactly from the memory entry.
	 */
	protected long expiresAtMillis(AbstractKvNamespace store, String key) {
		if (!isMemory()) {
			return expiresAtMillis(redisKey(store, key));
		}
		MemoryEntries.StoredEntry entry = MemoryEntries.entry(store, key);
		if (entry == null || entry.neverExpires()) {
			throw new AssertionError("Expected " + key + " to be stored with an expiry, but it is " + entry);
		}
		return entry.expiresAt();
	}

	/**
	 * The stored metadata JSON of an entry (Redis' field {@code m}, or the memory
	 * entry's).
	 */
	protected String storedMetadata(AbstractKvNamespace store, String key) {
		if (!isMemory()) {
			byte[] metadata = this.redis.rawBinary().hget(redisKey(store, key), EntryLayout.METADATA);
			return (metadata != null) ? new String(metadata, StandardCharsets.UTF_8) : null;
		}
		MemoryEntries.StoredEntry entry = MemoryEntries.entry(store, key);
		return (entry != null) ? entry.metadataJson() : null;
	}

	/**
	 * The time expirations are measured against: Redis' {@code TIME}, or the system clock
	 * of memory stores made by {@link #store(String, KvStoreSettings)}.
	 */
	protected long nowMillis() {
		if (isMemory()) {
			return Clock.systemUTC().millis();
		}
		List<String> time = this.redis.raw().time();
		return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
	}

	private static byte[] redisKey(AbstractKvNamespace store, String key) {
		return (store.settings().keyPrefix() + key).getBytes(StandardCharsets.UTF_8);
	}

	// Fails a test that inspects Redis while its stores are in memory: the Redis it would
	// inspect is empty, which would prove nothing.
	private void requireRedis(String helper) {
		if (isMemory()) {
			throw new IllegalStateException(helper + " inspects Redis, but this test's stores are in memory; "
					+ "assume the test away on MEMORY or check the memory stores");
		}
	}

	/**
	 * When a key expires, in epoch milliseconds: exact with {@code PEXPIRETIME} (Redis 7
	 * and later, Valkey), or from {@code TIME} and {@code PTTL} on Redis 6.2 (the
	 * {@link Topology#REDIS_6_2} topology, and every Redis topology where the tests fall
	 * back to the packaged Redis 6.2), within {@link #expiryTolerance()}.
	 */
	protected long expiresAtMillis(byte[] key) {
		requireRedis("expiresAtMillis()");
		if (this.redis.hasPexpiretime()) {
			return this.redis.rawBinary().pexpiretime(key);
		}
		java.util.List<String> time = this.redis.raw().time();
		long now = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
		return now + this.redis.rawBinary().pttl(key);
	}

	protected long expiresAtMillis(String key) {
		return expiresAtMillis(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/**
	 * How far {@link #expiresAtMillis} may be off: 0 with {@code PEXPIRETIME} and in
	 * memory, some milliseconds on Redis 6.2.
	 */
	protected org.assertj.core.data.Offset<Long> expiryTolerance() {
		return org.assertj.core.data.Offset.offset(lacksPexpiretime() ? 50L : 0L);
	}

	/** Whether this topology's Redis is a Redis 6.2, without {@code PEXPIRETIME}. */
	protected boolean lacksPexpiretime() {
		return !isMemory() && !this.redis.hasPexpiretime();
	}

	protected boolean isCluster() {
		return !isMemory() && this.redis.isCluster();
	}

	/**
	 * Polls until the condition holds, failing after the deadline; never sleeps a fixed
	 * time as a test.
	 */
	protected static void eventually(Duration deadline, java.util.function.BooleanSupplier condition) {
		long end = System.nanoTime() + deadline.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("Condition not met within " + deadline);
			}
			try {
				Thread.sleep(25);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	/**
	 * Runs calls on the store {@code demo} of a Redis client of its own, with a command
	 * listener on that client, so that the listener sees these calls only.
	 */
	protected void withListenedStore(io.lettuce.core.event.command.CommandListener listener,
			java.util.function.Consumer<RedisKvNamespace> calls) {
		requireRedis("withListenedStore()");
		io.lettuce.core.AbstractRedisClient client = this.redis.newClient();
		client.addListener(listener);
		try (KvRedisConnection connection = new KvRedisConnection(client)) {
			calls.accept(new RedisKvNamespace("demo", KvStoreSettings.defaults("demo"), connection, this.jsonMapper));
		}
		finally {
			client.shutdown();
		}
	}

}
