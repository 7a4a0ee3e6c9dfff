package io.kvstore.redis;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
					// Values of every way of writing them race: script arguments, staged
					// entries and, now and then, blobs over one chunk.
					int band = random.nextInt(20);
					byte[] value = new byte[(band == 0) ? MiB + random.nextInt(1000) : (band < 8)
							? EntryLayout.SCRIPT_VALUE_LIMIT + 1 + random.nextInt(8000) : random.nextInt(2000)];
					random.nextBytes(value);
					store.put(key, value,
							KvPutOptions.builder().metadata(Map.of("crc", crc(value), "size", value.length)).build());
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
						store.put(key, value,
								KvPutOptions.builder()
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
						List<KvKey> page = store
							.list(io.kvstore.KvListOptions.builder().limit(1 + random.nextInt(60)).build())
							.keys();
						assertThat(page).extracting(KvKey::name)
							.doesNotHaveDuplicates()
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
		int putsPerWriter = 8;
		int readsAfterTheWrites = 3;
		AtomicInteger puts = new AtomicInteger();
		AtomicInteger completeWhileWriting = new AtomicInteger();
		AtomicInteger completeAfterTheWrites = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		Set<Byte> seen = ConcurrentHashMap.newKeySet();
		CountDownLatch writing = new CountDownLatch(writers);
		CountDownLatch firstPutsHeld = new CountDownLatch(writers);
		CountDownLatch wholeReadDuringHeldPuts = new CountDownLatch(1);
		store.put("k", StreamTest.filled(2 * MiB, (byte) 0), KvPutOptions.builder().metadata(0).build());
		concurrently(writers + readers, (t) -> {
			if (t < writers) {
				try {
					byte fill = (byte) (t + 1);
					for (int i = 0; i < putsPerWriter; i++) {
						int size = 2 * MiB + ThreadLocalRandom.current().nextInt(2 * MiB);
						// Every writer's first put stops halfway until a stream that
						// started while all of them were held has finished: at least one
						// read overlaps puts and is whole.
						InputStream bytes = (i == 0)
								? new HeldStream(StreamTest.filled(size, fill), MiB + 1, firstPutsHeld,
										wholeReadDuringHeldPuts)
								: new java.io.ByteArrayInputStream(StreamTest.filled(size, fill));
						store.put("k", bytes, KvPutOptions.builder().metadata(fill).build());
						puts.incrementAndGet();
					}
				}
				finally {
					writing.countDown();
				}
				return;
			}
			// Reads race the writers for as long as they write, then read a few times
			// more.
			int afterTheWrites = 0;
			while (afterTheWrites < readsAfterTheWrites) {
				// A read that starts once every put has returned has nothing to race
				// with.
				boolean racing = writing.getCount() > 0;
				boolean duringHeldPuts = racing && firstPutsHeld.getCount() == 0;
				KvValue<InputStream> value = store.getWithMetadata("k", KvType.STREAM);
				byte expected = (byte) value.metadata().intValue();
				try (InputStream in = value.value()) {
					byte[] bytes = in.readAllBytes();
					assertThat(bytes.length).isGreaterThanOrEqualTo(2 * MiB);
					assertThat(StreamTest.allSame(bytes, expected)).as("one writer's bytes only").isTrue();
					seen.add(expected);
					(racing ? completeWhileWriting : completeAfterTheWrites).incrementAndGet();
					if (duringHeldPuts) {
						wholeReadDuringHeldPuts.countDown();
					}
				}
				catch (IOException ex) {
					if (!racing) {
						throw new AssertionError("A stream that started after the last put failed", ex);
					}
					// Allowed by the contract while puts race: a reader may fail, but
					// never mix values.
					failed.incrementAndGet();
				}
				if (!racing) {
					afterTheWrites++;
				}
			}
		});
		String counts = "puts=" + puts + ", whole reads while writing=" + completeWhileWriting + ", after="
				+ completeAfterTheWrites + ", failed reads=" + failed + ", fills seen=" + seen;
		// Every put happened, and streams finished with whole values of one put: those
		// that raced the puts now and then, every one that did not.
		assertThat(puts.get()).as(counts).isEqualTo(writers * putsPerWriter);
		assertThat(completeAfterTheWrites.get()).as(counts).isEqualTo(readers * readsAfterTheWrites);
		assertThat(completeWhileWriting.get()).as(counts).isPositive();
		assertThat(seen).as(counts).anyMatch((fill) -> fill != 0);
		KvValue<InputStream> last = store.getWithMetadata("k", KvType.STREAM);
		try (InputStream in = last.value()) {
			assertThat(StreamTest.allSame(in.readAllBytes(), (byte) last.metadata().intValue())).isTrue();
		}
		// The entry alone (on Redis with its chunks in it): nothing of a replaced value
		// is left, but large values that large puts replaced, each under an expiry of at
		// most the grace period in which readers may still read them.
		if (isMemory()) {
			assertThat(snapshot()).hasSize(1);
		}
		else {
			List<byte[]> keys = allKeys();
			assertThat(keys).filteredOn((key) -> key["kv:demo:".length()] != (byte) 0xFF).hasSize(1);
			for (byte[] key : keys) {
				if (key["kv:demo:".length()] == (byte) 0xFF) {
					assertThat(this.redis.rawBinary().pttl(key)).isPositive()
						.isLessThanOrEqualTo(EntryLayout.RETIRED_TTL_MILLIS);
				}
			}
		}
	}

	/**
	 * The bytes of a value, of which a put gets the first {@code holdAt} at once and the
	 * rest only once {@code release} has opened (failing after 30 seconds); counts
	 * {@code held} down when it starts to wait.
	 */
	private static final class HeldStream extends InputStream {

		private final byte[] bytes;

		private final int holdAt;

		private final CountDownLatch held;

		private final CountDownLatch release;

		private int position;

		HeldStream(byte[] bytes, int holdAt, CountDownLatch held, CountDownLatch release) {
			this.bytes = bytes;
			this.holdAt = holdAt;
			this.held = held;
			this.release = release;
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == -1) ? -1 : one[0] & 0xFF;
		}

		@Override
		public int read(byte[] buffer, int offset, int count) {
			if (this.position >= this.bytes.length) {
				return -1;
			}
			if (this.position == this.holdAt) {
				hold();
			}
			int limit = (this.position < this.holdAt) ? this.holdAt : this.bytes.length;
			int n = Math.min(count, limit - this.position);
			System.arraycopy(this.bytes, this.position, buffer, offset, n);
			this.position += n;
			return n;
		}

		private void hold() {
			this.held.countDown();
			try {
				if (!this.release.await(30, TimeUnit.SECONDS)) {
					throw new AssertionError("No stream finished whole while puts were in flight");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}

	}

	/**
	 * Runs the task on that many threads at once (with indexes 0 to threads - 1) and
	 * waits for all.
	 */
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
