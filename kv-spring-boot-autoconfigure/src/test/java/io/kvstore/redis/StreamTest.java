package io.kvstore.redis;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.memory.MemoryEntries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Streams: chunked writes that commit atomically, refusal as soon as the limit is passed,
 * failed streams that leave nothing behind, readers that never mix two values, and
 * bounded memory for values far larger than the heap. How Redis stages and reads chunks
 * is checked on the Redis topologies only.
 */
@OnEveryTopology
class StreamTest extends AbstractKvTest {

	private static final int MiB = 1024 * 1024;

	/**
	 * How long the child JVM of {@link #valuesLargerThanTheHeapStreamInAndOut} may take
	 * before it is killed.
	 */
	private static final Duration CHILD_DEADLINE = Duration.ofSeconds(120);

	@Test
	void aStreamOverTheLimitIsRefusedAsSoonAsItPassesIt() {
		KvNamespace store = store("demo", KvStoreSettings.defaults("demo").withMaxValueSize(3 * MiB));
		store.put("k", "previous", KvPutOptions.builder().metadata("old").build());
		Map<String, String> before = snapshot();
		CountingStream endless = new CountingStream(Long.MAX_VALUE);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.put("k", endless))
			.withMessageStartingWith("'value' must be at most 3145728 bytes, was ");
		assertThat(endless.served).isEqualTo(3L * MiB + 1);
		assertThat(snapshot()).isEqualTo(before);
		assertThat(store.getWithMetadata("k").value()).isEqualTo("previous");
	}

	@Test
	void aStreamOfExactlyTheLimitIsAccepted() throws IOException {
		KvNamespace store = store("demo", KvStoreSettings.defaults("demo").withMaxValueSize(3 * MiB));
		store.put("k", new CountingStream(3 * MiB));
		try (InputStream in = store.get("k", KvType.STREAM)) {
			assertThat(in.transferTo(OutputStreams.NULL)).isEqualTo(3 * MiB);
		}
	}

	@Test
	void aStreamThatFailsHalfwayLeavesThePreviousEntryAndNothingElse() {
		KvNamespace store = store("demo");
		store.put("k", "previous");
		Map<String, String> before = snapshot();
		InputStream failing = new CountingStream(10L * MiB) {

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				if (this.served > 2 * MiB + 100) {
					throw new IOException("the client went away");
				}
				return super.read(b, off, len);
			}

		};
		assertThatExceptionOfType(java.io.UncheckedIOException.class).isThrownBy(() -> store.put("k", failing))
			.withMessageContaining("'k'")
			.withRootCauseInstanceOf(IOException.class);
		assertThat(snapshot()).isEqualTo(before);
		assertThat(store.get("k")).isEqualTo("previous");
	}

	@Test
	void readersSeeThePreviousEntryUntilAStreamIsCompleteAndStagedChunksExpireByThemselves() throws Exception {
		KvNamespace store = store("demo");
		store.put("k", "previous");
		Map<String, String> before = snapshot();
		PausingStream slow = new PausingStream(4L * MiB, 5L * MiB / 2);
		CountDownLatch paused = slow.paused;
		CountDownLatch resume = slow.resume;
		CompletableFuture<Void> put = CompletableFuture.runAsync(() -> store.put("k", slow));
		assertThat(paused.await(10, TimeUnit.SECONDS)).isTrue();
		if (isMemory()) {
			// A memory store writes nothing before the stream ends: only the previous
			// entry.
			assertThat(snapshot()).isEqualTo(before);
		}
		else {
			// The chunks read so far are staged beside the entry, and expire by
			// themselves.
			await("the entry and the staged chunks").atMost(Duration.ofSeconds(10)).until(() -> allKeys().size() == 2);
			for (byte[] key : allKeys()) {
				if (key["kv:demo:".length()] == (byte) 0xFF) {
					long ttl = this.redis.rawBinary().pttl(key);
					assertThat(ttl).isPositive().isLessThanOrEqualTo(EntryLayout.STAGING_TTL_MILLIS);
				}
			}
		}
		assertThat(store.get("k")).isEqualTo("previous");
		resume.countDown();
		put.get(30, TimeUnit.SECONDS);
		assertThat(store.get("k", KvType.BYTES)).hasSize(4 * MiB);
		assertNothingPersistsButEntries();
	}

	// A large value replaced by a large one is kept for its readers (StreamGraceTest);
	// one replaced by a value of up to one chunk is not.
	@Test
	void aReaderFailsWhenASmallValueReplacesTheEntryMidReadInsteadOfMixingValues() throws IOException {
		assumeTrue(this.topology != Topology.MEMORY,
				"it checks how Redis' chunk by chunk reads notice a change; a memory "
						+ "stream reads the value it was got with (MemoryKvNamespaceTest)");
		KvNamespace store = store("demo");
		byte[] first = filled(3 * MiB, (byte) 'a');
		byte[] second = filled(MiB, (byte) 'b');
		store.put("k", first, KvPutOptions.builder().metadata("first").build());
		KvValue<InputStream> reading = store.getWithMetadata("k", KvType.STREAM);
		assertThat(reading.metadata().stringValue()).isEqualTo("first");
		try (InputStream in = reading.value()) {
			byte[] start = in.readNBytes(MiB + 10);
			assertThat(allSame(start, (byte) 'a')).isTrue();
			store.put("k", second, KvPutOptions.builder().metadata("second").build());
			assertThatExceptionOfType(IOException.class).isThrownBy(in::readAllBytes)
				.withMessageContaining("'k'")
				.withMessageContaining("changed while it was read")
				.withMessageContaining("read " + 2 * MiB + " of " + 3 * MiB + " bytes");
		}
		try (InputStream in = store.get("k", KvType.STREAM)) {
			assertThat(allSame(in.readAllBytes(), (byte) 'b')).isTrue();
		}
		assertNothingPersistsButEntries();
	}

	@Test
	void aReaderFailsWhenTheValueGoesAwayMidReadInsteadOfReturningPartOfIt() throws IOException {
		assumeTrue(this.topology != Topology.MEMORY,
				"it checks how Redis' chunk by chunk reads notice a change; a memory "
						+ "stream reads the value it was got with (MemoryKvNamespaceTest)");
		KvNamespace store = store("demo");
		store.put("k", filled(3 * MiB, (byte) 'a'));
		try (InputStream in = store.get("k", KvType.STREAM)) {
			in.readNBytes(MiB + 10);
			store.delete("k");
			assertThatExceptionOfType(IOException.class).isThrownBy(in::readAllBytes)
				.withMessageContaining("'k'")
				.withMessageContaining("changed while it was read");
		}
	}

	@Test
	void aReaderOfTheWholeValueGetsTheNewValueWhenItChangesBetweenItsTwoReads() {
		assumeTrue(this.topology != Topology.MEMORY, "it changes the value between Redis' two HMGETs of one read");
		KvNamespace store = store("demo");
		store.put("k", filled(2 * MiB, (byte) 'a'), KvPutOptions.builder().metadata("a").build());
		// A value over one chunk is read in two HMGETs: the first one learns it has two
		// chunks; just before the second one leaves, another client replaces it with
		// three.
		AtomicInteger reads = new AtomicInteger();
		readWhileChanging((read) -> {
			reads.set(read);
			if (read == 2) {
				store.put("k", filled(3 * MiB, (byte) 'b'), KvPutOptions.builder().metadata("b").build());
			}
		}, (reader) -> {
			KvValue<byte[]> read = reader.getWithMetadata("k", KvType.BYTES);
			assertThat(read.value()).hasSize(3 * MiB);
			assertThat(allSame(read.value(), (byte) 'b')).isTrue();
			assertThat(read.metadata().stringValue()).isEqualTo("b");
		});
		// The second read found chunks that did not make up the value; the third is
		// whole.
		assertThat(reads.get()).isEqualTo(3);
	}

	@Test
	void aReaderOfAValueThatNeverStopsChangingGivesUpWithAConcurrencyFailure() {
		assumeTrue(this.topology != Topology.MEMORY,
				"it changes the value before every one of Redis' HMGETs of one read");
		KvNamespace store = store("demo");
		store.put("k", filled(2 * MiB, (byte) 'a'));
		// Before every read but the first, another client puts a value with another
		// number of chunks, so no read ever finds the chunks the previous one announced.
		AtomicInteger reads = new AtomicInteger();
		readWhileChanging((read) -> {
			reads.set(read);
			if (read > 1) {
				store.put("k", filled(((read % 2 == 0) ? 3 : 2) * MiB, (byte) 'b'));
			}
		}, (reader) -> assertThatExceptionOfType(org.springframework.dao.ConcurrencyFailureException.class)
			.isThrownBy(() -> reader.get("k", KvType.BYTES))
			.withMessageContaining("'k'")
			.withMessageContaining("changed 10 times while it was read"));
		assertThat(reads.get()).isEqualTo(10);
	}

	// Runs the reads through a store on a client of its own, which calls beforeRead with
	// the number of each HMGET (from 1) just before it is sent.
	private void readWhileChanging(java.util.function.IntConsumer beforeRead,
			java.util.function.Consumer<RedisKvNamespace> reads) {
		AtomicInteger count = new AtomicInteger();
		withListenedStore(new io.lettuce.core.event.command.CommandListener() {
			@Override
			public void commandStarted(io.lettuce.core.event.command.CommandStartedEvent event) {
				if (event.getCommand().getType().toString().equals("HMGET")) {
					beforeRead.accept(count.incrementAndGet());
				}
			}
		}, reads);
	}

	@Test
	void deletingOrReplacingALargeValueLeavesNothingOfItBehind() {
		KvNamespace store = store("demo");
		store.put("replaced", new byte[2 * MiB]);
		store.put("deleted", new byte[2 * MiB]);
		store.put("replaced", "small");
		store.delete("deleted");
		if (isMemory()) {
			assertThat(MemoryEntries.of(store)).containsOnlyKeys("replaced");
			assertThat(MemoryEntries.entry(store, "replaced").value())
				.isEqualTo("small".getBytes(StandardCharsets.UTF_8));
		}
		else {
			assertThat(allKeys()).extracting((key) -> new String(key, StandardCharsets.ISO_8859_1))
				.containsExactly("kv:demo:replaced");
			assertThat(this.redis.raw().hkeys("kv:demo:replaced")).containsExactlyInAnyOrder("v", "n");
		}
	}

	// What a stream costs in flight (README, "Streams and memory"): a put two chunks in
	// 64 KiB segments, a reading stream one, whatever the value's size and the collector.
	// Before chunks were segmented, 8 streams of 20 MiB ran out of a 96 MiB G1 heap.
	@org.junit.jupiter.params.ParameterizedTest(name = "{1} streams of {0} MiB at once in a {2} heap ({3})")
	@org.junit.jupiter.params.provider.CsvSource({ "100, 1, 32m, SerialGC", "20, 8, 56m, G1GC" })
	void valuesLargerThanTheHeapStreamInAndOut(int mebibytes, int streams, String heap, String collector,
			@TempDir Path directory) throws Exception {
		assumeTrue(this.topology != Topology.MEMORY, "it streams values larger than the heap through Redis; a memory "
				+ "store holds its values in the heap");
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		List<String> command = new ArrayList<>(
				List.of(java, "-Xmx" + heap, "-XX:+Use" + collector, "-cp", System.getProperty("java.class.path"),
						StreamMemoryCheck.class.getName(), this.redis.host(), Integer.toString(this.redis.port()),
						Integer.toString(mebibytes), isCluster() ? "cluster" : "single", Integer.toString(streams)));
		// The child's output goes to a file, so that a child that hangs cannot hang the
		// build: it is waited for with a deadline, then killed.
		Path log = directory.resolve("stream-memory-check.log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			boolean exited = process.waitFor(CHILD_DEADLINE.toSeconds(), TimeUnit.SECONDS);
			if (!exited) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			String output = Files.readString(log, StandardCharsets.UTF_8);
			assertThat(exited).as("the child JVM exited within %s; its output: %s", CHILD_DEADLINE, output).isTrue();
			assertThat(process.exitValue()).as(output).isZero();
			assertThat(output).contains("streamed " + (streams * mebibytes * 1024L * 1024L) + " bytes in and out in "
					+ streams + " streams");
		}
		finally {
			process.destroyForcibly();
		}
	}

	// Every key is an entry or a staged entry that expires by itself; in memory, the one
	// entry.
	private void assertNothingPersistsButEntries() {
		if (isMemory()) {
			assertThat(snapshot()).hasSize(1);
			return;
		}
		for (byte[] key : allKeys()) {
			assertThat(this.redis.rawBinary().type(key)).isEqualTo("hash");
			if (key[8] == (byte) 0xFF) {
				assertThat(this.redis.rawBinary().pttl(key)).as("TTL of a staged entry").isPositive();
			}
		}
	}

	static byte[] filled(int size, byte value) {
		byte[] bytes = new byte[size];
		java.util.Arrays.fill(bytes, value);
		return bytes;
	}

	static boolean allSame(byte[] bytes, byte value) {
		for (byte b : bytes) {
			if (b != value) {
				return false;
			}
		}
		return true;
	}

	/** A stream of a given length of generated bytes that counts what it served. */
	static class CountingStream extends InputStream {

		final long length;

		long served;

		CountingStream(long length) {
			this.length = length;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == -1) ? -1 : one[0] & 0xFF;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (this.served >= this.length) {
				return -1;
			}
			int n = (int) Math.min(len, this.length - this.served);
			for (int i = 0; i < n; i++) {
				b[off + i] = (byte) ((this.served + i) % 251);
			}
			this.served += n;
			return n;
		}

	}

	/** A generated stream that stops at a given position until {@code resume} opens. */
	static class PausingStream extends CountingStream {

		final CountDownLatch paused = new CountDownLatch(1);

		final CountDownLatch resume = new CountDownLatch(1);

		private final long pauseAt;

		PausingStream(long length, long pauseAt) {
			super(length);
			this.pauseAt = pauseAt;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (this.served >= this.pauseAt && this.paused.getCount() > 0) {
				this.paused.countDown();
				try {
					this.resume.await();
				}
				catch (InterruptedException ex) {
					throw new IOException(ex);
				}
			}
			return super.read(b, off, len);
		}

	}

	static final class OutputStreams {

		static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();

	}

	static InputStream bytes(byte[] value) {
		return new ByteArrayInputStream(value);
	}

}
