package io.kvstore.redis;

import io.kvstore.core.KvStoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kvstore.test.RedisCluster;
import io.kvstore.test.RedisExtension;
import io.kvstore.test.RedisServer;
import io.kvstore.test.TestRedis;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the tests that run stores against a real Redis: an empty Redis per test, a
 * connection per test, and raw checks of what is in Redis.
 */
@ExtendWith(RedisExtension.class)
abstract class AbstractKvTest {

	/** Where a test runs: a single Redis 7, a single Redis 6.2, or the shared 3-master cluster. */
	enum Topology {

		STANDALONE, REDIS_6_2, CLUSTER

	}

	/** Set by {@link OnEveryTopology}; a class without it runs on a single Redis. */
	@Parameter
	protected Topology topology;

	protected TestRedis redis;

	protected KvRedisConnection connection;

	protected final JsonMapper jsonMapper = JsonMapper.builder().build();

	@BeforeEach
	void startWithEmptyRedis(RedisServer server) {
		if (this.topology == Topology.REDIS_6_2) {
			org.junit.jupiter.api.Assumptions.assumeTrue(RedisServer.isRedis62Available(),
					"the packaged Redis 6.2 binary runs on Linux x86-64 only");
		}
		this.redis = switch ((this.topology != null) ? this.topology : Topology.STANDALONE) {
			case CLUSTER -> RedisCluster.shared();
			case REDIS_6_2 -> RedisServer.redis62();
			case STANDALONE -> server;
		};
		this.redis.flushAll();
		this.connection = new KvRedisConnection(this.redis.client());
	}

	@AfterEach
	void closeConnection() {
		this.connection.close();
	}

	protected RedisKvNamespace store(String name) {
		return store(name, KvStoreSettings.defaults(name));
	}

	protected RedisKvNamespace store(String name, KvStoreSettings settings) {
		return new RedisKvNamespace(name, settings, this.connection, this.jsonMapper);
	}

	protected RedisKvNamespace store(String name, KvStoreSettings settings, Clock clock) {
		return new RedisKvNamespace(name, settings, this.connection, this.jsonMapper, clock);
	}

	/** A store whose minimum TTL is one second, to test real expiry quickly. */
	protected RedisKvNamespace shortLivedStore(String name) {
		return store(name, KvStoreSettings.defaults(name).withMinTtl(Duration.ofSeconds(1)));
	}

	/** Every key in Redis with a dump of its content, to show that a refused call wrote nothing. */
	protected Map<String, String> snapshot() {
		Map<String, String> keys = new TreeMap<>();
		for (byte[] key : allKeys()) {
			byte[] dump = this.redis.rawBinary().dump(key);
			keys.put(java.util.HexFormat.of().formatHex(key),
					(dump != null) ? java.util.HexFormat.of().formatHex(dump) + "/ttl=" + (this.redis.rawBinary().pttl(key) > 0)
							: "gone");
		}
		return keys;
	}

	protected List<byte[]> allKeys() {
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

	protected long commandCalls(String command) {
		return this.redis.commandCalls(command);
	}

	/**
	 * When a key expires, in epoch milliseconds: exact with {@code PEXPIRETIME} (Redis 7), or
	 * from {@code TIME} and {@code PTTL} on Redis 6.2, within {@link #expiryTolerance()}.
	 */
	protected long expiresAtMillis(byte[] key) {
		if (this.topology != Topology.REDIS_6_2) {
			return this.redis.rawBinary().pexpiretime(key);
		}
		java.util.List<String> time = this.redis.raw().time();
		long now = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
		return now + this.redis.rawBinary().pttl(key);
	}

	protected long expiresAtMillis(String key) {
		return expiresAtMillis(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/** How far {@link #expiresAtMillis} may be off: 0 on Redis 7, some milliseconds on 6.2. */
	protected org.assertj.core.data.Offset<Long> expiryTolerance() {
		return org.assertj.core.data.Offset.offset((this.topology == Topology.REDIS_6_2) ? 50L : 0L);
	}

	protected boolean isCluster() {
		return this.redis.isCluster();
	}

	/** Polls until the condition holds, failing after the deadline; never sleeps a fixed time as a test. */
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
