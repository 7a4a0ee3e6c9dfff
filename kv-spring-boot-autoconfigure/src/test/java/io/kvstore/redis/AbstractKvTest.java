package io.kvstore.redis;

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

	/** Where a test runs: a single Redis, or the shared 3-master cluster. */
	enum Topology {

		STANDALONE, CLUSTER

	}

	/** Set by {@link OnEveryTopology}; a class without it runs on a single Redis. */
	@Parameter
	protected Topology topology;

	protected TestRedis redis;

	protected KvRedisConnection connection;

	protected final JsonMapper jsonMapper = JsonMapper.builder().build();

	@BeforeEach
	void startWithEmptyRedis(RedisServer server) {
		this.redis = (this.topology == Topology.CLUSTER) ? RedisCluster.shared() : server;
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

}
