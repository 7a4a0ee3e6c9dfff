package io.kvstore.redis;

import io.kvstore.core.KvStoreSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import io.kvstore.KvKey;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.kvstore.test.RedisCluster;
import io.kvstore.test.RedisServer;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slots move between masters while stores write and read keys in them: the MOVED and ASK
 * redirections, and scripts refused while an entry's keys are split between two nodes,
 * never reach the caller, and no acknowledged write is lost.
 */
class ClusterReshardingTest {

	private static final List<String> TAGS = List.of("m0", "m1", "m2");

	private RedisCluster cluster;

	private RedisClusterClient client;

	private KvRedisConnection connection;

	private RedisKvNamespace store;

	@BeforeEach
	void start() {
		this.cluster = RedisCluster.start(3);
		this.client = this.cluster.newClient();
		this.connection = new KvRedisConnection(this.client);
		this.store = new RedisKvNamespace("demo", KvStoreSettings.defaults("demo"), this.connection,
				JsonMapper.builder().build());
	}

	// The cluster (its processes and their directories) goes whatever fails before.
	@AfterEach
	void stop() {
		try {
			if (this.connection != null) {
				this.connection.close();
			}
			if (this.client != null) {
				this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			}
		}
		finally {
			if (this.cluster != null) {
				this.cluster.close();
			}
		}
	}

	@Test
	void writesAndReadsSurviveLiveSlotMigrations() throws Exception {
		int writers = 4;
		Map<String, String> acknowledged = new ConcurrentHashMap<>();
		List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
		AtomicBoolean migrating = new AtomicBoolean(true);
		AtomicInteger writes = new AtomicInteger();
		AtomicInteger reads = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(writers + 1);
		List<Future<?>> futures = new ArrayList<>();
		try {
			for (int w = 0; w < writers; w++) {
				int writer = w;
				futures.add(executor.submit(() -> {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					int i = 0;
					while (migrating.get() || i < 50) {
						// Each writer owns its keys, so the last acknowledged value of a
						// key is known.
						String key = "{" + TAGS.get(random.nextInt(TAGS.size())) + "}w" + writer + "-"
								+ random.nextInt(15);
						try {
							if (random.nextInt(3) == 0) {
								KvValue<byte[]> read = this.store.getWithMetadata(key, KvType.BYTES);
								if (read.value() != null) {
									assertThat(read.metadata().get("crc").longValue()).isEqualTo(crc(read.value()));
									reads.incrementAndGet();
								}
							}
							else {
								int size = switch (random.nextInt(3)) {
									case 0 -> EntryLayout.CHUNK_SIZE + random.nextInt(5000);
									case 1 -> EntryLayout.SCRIPT_VALUE_LIMIT + 1 + random.nextInt(5000);
									default -> random.nextInt(500);
								};
								byte[] value = new byte[size];
								random.nextBytes(value);
								this.store.put(key, value,
										KvPutOptions.builder().metadata(Map.of("crc", crc(value))).build());
								acknowledged.put(key, Long.toString(crc(value)));
								writes.incrementAndGet();
							}
						}
						catch (Throwable ex) {
							errors.add(ex);
						}
						i++;
					}
					return null;
				}));
			}
			for (int round = 0; round < 3; round++) {
				for (String tag : TAGS) {
					int slot = SlotHash.getSlot(tag);
					List<RedisServer> nodes = this.cluster.nodes();
					RedisServer owner = this.cluster.owner(slot);
					// One key at a time, so that entries are met with their keys split
					// between nodes.
					this.cluster.migrateSlot(slot, nodes.get((nodes.indexOf(owner) + 1) % nodes.size()), 1,
							Duration.ofMillis(15));
				}
			}
			migrating.set(false);
			for (Future<?> future : futures) {
				future.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			migrating.set(false);
			executor.shutdownNow();
		}
		assertThat(errors).as("errors that reached the caller").isEmpty();
		assertThat(writes.get()).isGreaterThan(100);
		assertThat(reads.get()).isPositive();
		for (Map.Entry<String, String> entry : acknowledged.entrySet()) {
			KvValue<byte[]> value = this.store.getWithMetadata(entry.getKey(), KvType.BYTES);
			assertThat(value.value()).as(entry.getKey()).isNotNull();
			assertThat(Long.toString(crc(value.value()))).isEqualTo(entry.getValue());
		}
		assertThat(allNames()).containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
	}

	private List<String> allNames() {
		List<String> names = new ArrayList<>();
		String cursor = null;
		do {
			var page = this.store.list(io.kvstore.KvListOptions.builder().limit(25).cursor(cursor).build());
			page.keys().stream().map(KvKey::name).forEach(names::add);
			cursor = page.cursor();
		}
		while (cursor != null);
		return names;
	}

	private static long crc(byte[] value) {
		CRC32 crc = new CRC32();
		crc.update(value);
		return crc.getValue();
	}

}
