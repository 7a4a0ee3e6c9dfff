package io.kvstore.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kvstore.KvPutOptions;
import io.kvstore.KvValue;
import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.test.RedisCluster;
import io.kvstore.test.RedisServer;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.micrometer.observation.ObservationRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache on the shared 3-master Redis Cluster: one tracking connection per
 * master, each key read over that of the master that owns its slot. Another instance and
 * a plain client writing and deleting, keys expiring in Redis, and a tracking connection
 * killed while another instance writes.
 */
class NearCacheClusterTest {

	private static final Duration TIMEOUT = Duration.ofMillis(1000);

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private RedisCluster cluster;

	private RedisClusterClient client;

	private KvRedisConnection connection;

	private RedisKvNamespace store;

	private KvRedisConnection otherConnection;

	private RedisKvNamespace other;

	// Keys on every master: one key per slot owner, several of each.
	private final List<String> keys = new ArrayList<>();

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@BeforeEach
	void start() {
		this.cluster = RedisCluster.shared();
		this.cluster.flushAll();
		List<RedisURI> uris = new ArrayList<>();
		for (RedisURI uri : this.cluster.uris()) {
			uris.add(RedisURI.builder(uri).withTimeout(TIMEOUT).build());
		}
		this.client = RedisClusterClient.create(uris);
		this.connection = new KvRedisConnection(this.client);
		KvStoreSettings settings = KvStoreSettings.defaults("demo").withMinTtl(Duration.ofSeconds(1));
		this.store = new RedisKvNamespace("demo", settings, KvNearCacheSettings.defaults(), this.connection,
				this.jsonMapper, Clock.systemUTC(), ObservationRegistry.NOOP);
		this.otherConnection = new KvRedisConnection(this.cluster.client());
		this.other = new RedisKvNamespace("demo", settings, this.otherConnection, this.jsonMapper);
		for (int i = 0; i < 30; i++) {
			this.keys.add("k" + i);
		}
		assertThat(this.keys.stream().map((key) -> this.cluster.owner(slot(key))).distinct())
			.as("the keys are on every master")
			.hasSize(this.cluster.nodes().size());
	}

	@AfterEach
	void stop() {
		this.store.close();
		this.connection.close();
		this.otherConnection.close();
		this.client.shutdown();
		this.cluster.flushAll();
	}

	private static int slot(String key) {
		return SlotHash.getSlot("kv:demo:" + key);
	}

	private NearCache near() {
		return this.store.nearCache();
	}

	private KvValue<String> read(String key) {
		return this.store.getWithMetadata(key);
	}

	private void cacheAll(String value) {
		for (String key : this.keys) {
			read(key);
			assertThat(read(key)).as("the read after the MISS of %s", key).isEqualTo(new KvValue<>(value, null, "HIT"));
		}
	}

	@Test
	void theChannelHasOneTrackingConnectionPerMasterAndReadsHit() {
		for (String key : this.keys) {
			this.store.put(key, "v0");
		}
		cacheAll("v0");
		assertThat(near().channel().channelIds()).hasSize(this.cluster.nodes().size());
		assertThat(near().isConnected()).isTrue();
		assertThat(this.store.getWithMetadata(this.keys))
			.allSatisfy((key, value) -> assertThat(value.cacheStatus()).isEqualTo("HIT"));
		// A write through the store: the next read sees it, the one after hits.
		for (String key : this.keys) {
			this.store.put(key, "v1");
			assertThat(read(key)).isEqualTo(new KvValue<>("v1", null, "MISS"));
			assertThat(read(key)).isEqualTo(new KvValue<>("v1", null, "HIT"));
		}
	}

	@Test
	void writesAndDeletesOfAnotherInstanceAndOfAPlainClientEvictOnEveryMaster() {
		for (String key : this.keys) {
			this.store.put(key, "v0");
		}
		cacheAll("v0");
		for (int i = 0; i < this.keys.size(); i++) {
			String key = this.keys.get(i);
			switch (i % 4) {
				case 0 -> this.other.put(key, "v1");
				case 1 -> this.other.delete(key);
				case 2 -> this.cluster.raw().hset("kv:demo:" + key, "v", "v1");
				default -> this.cluster.raw().del("kv:demo:" + key);
			}
		}
		for (int i = 0; i < this.keys.size(); i++) {
			String key = this.keys.get(i);
			String expected = (i % 2 == 0) ? "v1" : null;
			Awaitility.await()
				.atMost(DEADLINE)
				.pollInterval(Duration.ofMillis(5))
				.untilAsserted(() -> assertThat(read(key).value()).isEqualTo(expected));
			assertThat(read(key)).as("the read after the MISS of %s", key)
				.isEqualTo(new KvValue<>(expected, null, "HIT"));
		}
		assertThat(near().channel().invalidations()).isGreaterThanOrEqualTo(this.keys.size());
	}

	@Test
	void keysThatExpireInRedisAreNotAnsweredAfterwards() {
		for (String key : this.keys) {
			this.other.put(key, "v", KvPutOptions.builder().expirationTtl(1).build());
		}
		long written = System.nanoTime();
		for (String key : this.keys) {
			assertThat(read(key)).isEqualTo(new KvValue<>("v", null, "MISS"));
			KvValue<String> second = read(key);
			if (System.nanoTime() - written < 900_000_000L) {
				assertThat(second).isEqualTo(new KvValue<>("v", null, "HIT"));
			}
		}
		Awaitility.await()
			.atMost(DEADLINE)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> System.nanoTime() - written > 1_000_000_000L);
		for (String key : this.keys) {
			assertThat(read(key).value()).as("%s after its expiry", key).isNull();
		}
		// Redis expires them itself and tells every master's tracking connection.
		Awaitility.await()
			.atMost(DEADLINE)
			.untilAsserted(() -> assertThat(this.cluster.raw().keys("kv:demo:*")).isEmpty());
		assertThat(near().channel().invalidations()).isPositive();
	}

	@Test
	void aSlotThatMovesToAnotherMasterIsReadFromItsNewOwnerAndInvalidatedThere() {
		String key = this.keys.get(0);
		this.store.put(key, "v0");
		read(key);
		assertThat(read(key)).isEqualTo(new KvValue<>("v0", null, "HIT"));
		int slot = slot(key);
		RedisServer from = this.cluster.owner(slot);
		RedisServer to = this.cluster.nodes().stream().filter((node) -> node != from).findFirst().orElseThrow();
		this.cluster.migrateSlot(slot, to);
		try {
			// MIGRATE deleted the key on its old owner, which told the near cache.
			Awaitility.await()
				.atMost(DEADLINE)
				.untilAsserted(() -> assertThat(read(key)).isEqualTo(new KvValue<>("v0", null, "MISS")));
			// Once the channel follows the new owner, its writes evict the key too.
			Awaitility.await().atMost(DEADLINE).untilAsserted(() -> {
				read(key);
				assertThat(read(key).cacheStatus()).isEqualTo("HIT");
			});
			this.other.put(key, "v1");
			Awaitility.await()
				.atMost(DEADLINE)
				.pollInterval(Duration.ofMillis(5))
				.untilAsserted(() -> assertThat(read(key).value()).isEqualTo("v1"));
		}
		finally {
			this.cluster.migrateSlot(slot, from);
		}
	}

	@Test
	void aKilledTrackingConnectionWhileAnotherInstanceWritesEmptiesTheCacheAndReconnects() {
		for (String key : this.keys) {
			this.store.put(key, "v0");
		}
		cacheAll("v0");
		long before = near().channel().connects();
		Map<String, Long> ids = near().channel().channelIds();
		RedisServer victim = this.cluster.nodes().get(1);
		Long id = ids.get(victim.host() + ":" + victim.port());
		assertThat(id).as("a tracking connection to %s in %s", victim.port(), ids).isNotNull();
		victim.raw().clientKill(KillArgs.Builder.id(id));
		// Written while this instance may not listen to that master.
		for (String key : this.keys) {
			this.other.put(key, "v1");
		}
		Awaitility.await().atMost(DEADLINE).until(() -> near().channel().connects() > before);
		for (String key : this.keys) {
			Awaitility.await()
				.atMost(DEADLINE)
				.pollInterval(Duration.ofMillis(5))
				.untilAsserted(() -> assertThat(read(key).value()).isEqualTo("v1"));
		}
		Awaitility.await().atMost(DEADLINE).until(() -> near().isConnected());
		for (String key : this.keys) {
			read(key);
		}
		assertThat(this.store.getWithMetadata(this.keys))
			.allSatisfy((key, value) -> assertThat(value).isEqualTo(new KvValue<>("v1", null, "HIT")));
	}

}
