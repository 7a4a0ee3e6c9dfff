package io.kvstore.redis;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import io.kvstore.KvKey;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent puts and reads of the same keys: a read sees one whole entry (value with its
 * own metadata), never a mix of two puts, and a stream never returns bytes of two values.
 */
@OnEveryTopology
class ConcurrencyTest extends AbstractKvTest {

	private static final int MiB = 1024 * 1024;

	@Test
	void readsNeverSeeAValueWithAnotherPutsMetadata() throws Exception {
		KvNamespace store = store("demo");
		int threads = 8;
		AtomicInteger reads = new AtomicInteger();
		concurrently(threads, (t) -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			for (int i = 0; i < 400; i++) {
				String key = "k" + random.nextInt(5);
				int op = random.nextInt(10);
				if (op < 4) {
					// Values of every way of writing them race: script arguments, staged entries
					// and, now and then, blobs over one chunk.
					int band = random.nextInt(20);
					byte[] value = new byte[(band == 0) ? MiB + random.nextInt(1000)
							: (band < 8) ? EntryLayout.SCRIPT_VALUE_LIMIT + 1 + random.nextInt(8000) : random.nextInt(2000)];
					random.nextBytes(value);
					store.put(key, value, KvPutOptions.builder().metadata(Map.of("crc", crc(value), "size", value.length)).build());
				}
				else if (op < 9) {
					KvValue<byte[]> read = store.getWithMetadata(key, KvType.BYTES);
					if (read.value() != null) {
						assertThat(read.metadata().get("crc").longValue()).isEqualTo(crc(read.value()));
						assertThat(read.metadata().get("size").intValue()).isEqualTo(read.value().length);
						reads.incrementAndGet();
					}
					else {
						assertThat(read.metadata()).isNull();
					}
				}
				else {
					store.delete(key);
				}
			}
		});
		assertThat(reads.get()).isPositive();
		assertThat(store.list().keys()).extracting(KvKey::name).allMatch((name) -> name.matches("k[0-4]"));
	}

	@Test
	void sixteenThreadsOfRandomOperationsOnFiftyKeysNeverSeeAMixedEntry() throws Exception {
		KvNamespace store = store("demo");
		KvNamespace neighbour = store("demo-2");
		for (int i = 0; i < 50; i++) {
			neighbour.put("k" + i, "neighbour");
		}
		int threads = 16;
		AtomicInteger operations = new AtomicInteger();
		AtomicInteger hits = new AtomicInteger();
		concurrently(threads, (t) -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			for (int i = 0; i < 250; i++) {
				String key = "k" + random.nextInt(50);
				switch (random.nextInt(6)) {
					case 0, 1 -> {
						byte[] value = new byte[random.nextInt(300)];
						random.nextBytes(value);
						store.put(key, value, KvPutOptions.builder()
							.metadata(Map.of("crc", crc(value), "size", value.length))
							.build());
					}
					case 2 -> {
						byte[] value = store.get(key, KvType.BYTES);
						if (value != null) {
							hits.incrementAndGet();
						}
					}
					case 3 -> {
						KvValue<byte[]> read = store.getWithMetadata(key, KvType.BYTES);
						if (read.value() != null) {
							assertThat(read.metadata().get("crc").longValue()).isEqualTo(crc(read.value()));
							hits.incrementAndGet();
						}
					}
					case 4 -> store.delete(key);
					default -> {
						List<KvKey> page = store.list(io.kvstore.KvListOptions.builder().limit(1 + random.nextInt(60)).build())
							.keys();
						assertThat(page).extracting(KvKey::name).doesNotHaveDuplicates()
							.allMatch((name) -> name.matches("k[0-9]+"));
						for (KvKey listed : page) {
							assertThat(listed.metadata().get("size").intValue()).isBetween(0, 299);
						}
					}
				}
				operations.incrementAndGet();
			}
		});
		assertThat(operations.get()).isEqualTo(16 * 250);
		assertThat(hits.get()).isPositive();
		assertThat(neighbour.list().keys()).hasSize(50);
		for (int i = 0; i < 50; i++) {
			assertThat(neighbour.get("k" + i)).isEqualTo("neighbour");
		}
	}

	@Test
	void concurrentStreamsAreNeverTornOrMixed() throws Exception {
		KvNamespace store = store("demo");
		int writers = 3;
		int readers = 3;
		AtomicInteger complete = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		store.put("k", StreamTest.filled(2 * MiB, (byte) 0), KvPutOptions.builder().metadata(0).build());
		concurrently(writers + readers, (t) -> {
			if (t < writers) {
				byte fill = (byte) (t + 1);
				for (int i = 0; i < 8; i++) {
					int size = 2 * MiB + ThreadLocalRandom.current().nextInt(2 * MiB);
					store.put("k", new java.io.ByteArrayInputStream(StreamTest.filled(size, fill)),
							KvPutOptions.builder().metadata(fill).build());
				}
				return;
			}
			for (int i = 0; i < 12; i++) {
				KvValue<InputStream> value = store.getWithMetadata("k", KvType.STREAM);
				byte expected = (byte) value.metadata().intValue();
				try (InputStream in = value.value()) {
					byte[] bytes = in.readAllBytes();
					assertThat(bytes.length).isGreaterThanOrEqualTo(2 * MiB);
					assertThat(StreamTest.allSame(bytes, expected)).as("one writer's bytes only").isTrue();
					complete.incrementAndGet();
				}
				catch (IOException ex) {
					// Allowed by the contract: a reader may fail, but never mix values.
					failed.incrementAndGet();
				}
			}
		});
		// Every read either finished with one writer's bytes or failed; after the writers, a read
		// finishes.
		assertThat(complete.get() + failed.get()).isEqualTo(readers * 12);
		KvValue<InputStream> last = store.getWithMetadata("k", KvType.STREAM);
		try (InputStream in = last.value()) {
			assertThat(StreamTest.allSame(in.readAllBytes(), (byte) last.metadata().intValue())).isTrue();
		}
		// The entry alone (on Redis with its chunks in it): nothing of a replaced value is left.
		assertThat(snapshot()).hasSize(1);
	}

	/** Runs the task on that many threads at once (with indexes 0 to threads - 1) and waits for all. */
	private static void concurrently(int threads, Task task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int index = t;
				futures.add(executor.submit(() -> {
					task.run(index);
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(180, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@FunctionalInterface
	private interface Task {

		void run(int index) throws Exception;

	}

	private static long crc(byte[] value) {
		CRC32 crc = new CRC32();
		crc.update(value);
		return crc.getValue();
	}

}
