package io.kvstore.redis;

import io.kvstore.core.KvStoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.test.RedisServer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis crashes in the middle of a load and comes back on the same port (append-only
 * file, {@code appendfsync always}): calls during the outage fail within the command
 * timeout, the stores recover by themselves, no acknowledged put is lost (staged puts
 * included), a stream cut by the outage leaves the previous entry intact, and whatever
 * the crash interrupts, only entries are left without an expiry.
 */
class OutageTest {

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	/**
	 * How long a call may take to fail during the outage: twice the command timeout and a
	 * slack that a loaded machine does not use up, yet far below what a call that ignored
	 * the timeout would take (Lettuce's default of 60 s, or until Redis is back).
	 */
	private static final Duration CALL_DEADLINE = TIMEOUT.multipliedBy(2).plusSeconds(5);

	/** How long the stores may take to notice a crash, or to recover from it. */
	private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(30);

	private RedisServer redis;

	private RedisClient client;

	private KvRedisConnection connection;

	private RedisKvNamespace store;

	@BeforeEach
	void start() {
		this.redis = RedisServer.start(List.of("--appendonly", "yes", "--appendfsync", "always"));
		org.junit.jupiter.api.Assumptions.assumeTrue(this.redis.isProcess(), "needs a redis-server process to crash");
		this.client = RedisClient.create(RedisURI.builder(this.redis.uri()).withTimeout(TIMEOUT).build());
		this.connection = new KvRedisConnection(this.client);
		this.store = new RedisKvNamespace("demo", KvStoreSettings.defaults("demo"), this.connection,
				JsonMapper.builder().build());
	}

	// The server (its process and its directory) goes whatever fails before.
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
			if (this.redis != null) {
				this.redis.close();
			}
		}
	}

	@Test
	void acknowledgedPutsSurviveACrashAndCallsDuringTheOutageFailWithinTheTimeout() throws Exception {
		Map<String, String> acknowledged = new ConcurrentHashMap<>();
		AtomicInteger failures = new AtomicInteger();
		AtomicLong slowestFailureMillis = new AtomicLong();
		AtomicBoolean running = new AtomicBoolean(true);
		CountDownLatch warmedUp = new CountDownLatch(200);
		CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
			int i = 0;
			while (running.get() && i < 200_000) {
				String key = "k" + (i % 500);
				// Every other value is over the script limit, so it is staged and
				// renamed.
				String value = (i % 2 == 0) ? "v" + i : ("v" + i + ":").repeat(EntryLayout.SCRIPT_VALUE_LIMIT / 2);
				long start = System.nanoTime();
				try {
					this.store.put(key, value, KvPutOptions.builder().metadata(i).build());
					acknowledged.put(key, value);
					warmedUp.countDown();
				}
				catch (DataAccessException ex) {
					failures.incrementAndGet();
					slowestFailureMillis.accumulateAndGet(Duration.ofNanos(System.nanoTime() - start).toMillis(),
							Math::max);
					// A put that failed may or may not have been applied: it is no longer
					// known.
					acknowledged.remove(key);
				}
				i++;
			}
		});
		assertThat(warmedUp.await(30, TimeUnit.SECONDS)).isTrue();
		this.redis.kill();
		await("three puts failed").atMost(RECOVERY_DEADLINE).until(() -> failures.get() >= 3);
		// Fails, and does not wait for Redis to come back: Redis restarts after it.
		assertThat(CompletableFuture.supplyAsync(() -> this.store.get("k1"))).failsWithin(CALL_DEADLINE)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(DataAccessException.class);
		this.redis.restart();
		int failuresAtRestart = failures.get();
		await("a read worked again").atMost(RECOVERY_DEADLINE)
			.ignoreExceptionsInstanceOf(DataAccessException.class)
			.untilAsserted(() -> this.store.get("k1"));
		running.set(false);
		writer.get(30, TimeUnit.SECONDS);
		assertThat(failuresAtRestart).isPositive();
		assertThat(Duration.ofMillis(slowestFailureMillis.get())).as("the slowest failed put")
			.isLessThan(CALL_DEADLINE);
		assertThat(acknowledged).isNotEmpty();
		for (Map.Entry<String, String> entry : acknowledged.entrySet()) {
			assertThat(this.store.get(entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue());
		}
		// Whatever the crash interrupted, nothing but entries is left without an expiry.
		EntryLayout layout = new EntryLayout("kv:demo:");
		for (byte[] key : allKeys()) {
			if (!layout.isEntryKey(key)) {
				assertThat(this.redis.rawBinary().pttl(key)).as(new String(key, StandardCharsets.ISO_8859_1))
					.isPositive();
			}
		}
	}

	@Test
	void largePutsOnAStalledRedisFailWithinOneCommandTimeoutNotTwo() {
		this.store.put("big", "previous");
		byte[] staged = new byte[EntryLayout.RESTORE_VALUE_LIMIT + 1];
		byte[] chunked = new byte[EntryLayout.CHUNK_SIZE + 1];
		// Redis stops answering every client (the stores' connection too) for 8 timeouts,
		// which the two puts below take 4 at most.
		this.redis.raw().clientPause(8 * TIMEOUT.toMillis());
		for (byte[] value : List.of(staged, chunked)) {
			long start = System.nanoTime();
			org.assertj.core.api.Assertions
				.assertThatExceptionOfType(org.springframework.dao.QueryTimeoutException.class)
				.isThrownBy(() -> this.store.put("big", value));
			// The clean-up DEL of the staged value must not wait a second timeout.
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("%d bytes", value.length)
				.isLessThan(TIMEOUT.multipliedBy(2));
		}
		// Once Redis answers again, it runs what was queued: a put that timed out may or
		// may not have been applied (a timeout cannot tell), but nothing staged is left
		// behind.
		await("nothing but the entry is left").atMost(RECOVERY_DEADLINE).until(() -> allKeys().size() == 1);
		assertThat(this.store.get("big", io.kvstore.KvType.BYTES)).satisfiesAnyOf(
				(value) -> assertThat(value).isEqualTo("previous".getBytes()),
				(value) -> assertThat(value).isEqualTo(staged), (value) -> assertThat(value).isEqualTo(chunked));
	}

	@Test
	void aStreamCutByTheOutageLeavesThePreviousEntryIntact() throws Exception {
		this.store.put("file", "previous", KvPutOptions.builder().metadata("old").build());
		StreamTest.PausingStream slow = new StreamTest.PausingStream(5L * 1024 * 1024, 3L * 1024 * 1024);
		CountDownLatch paused = slow.paused;
		CountDownLatch resume = slow.resume;
		CompletableFuture<Void> put = CompletableFuture.runAsync(() -> this.store.put("file", slow));
		assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();
		this.redis.kill();
		resume.countDown();
		assertThat(put).failsWithin(Duration.ofSeconds(30))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(DataAccessException.class);
		this.redis.restart();
		await("the previous value is read").atMost(RECOVERY_DEADLINE)
			.ignoreExceptionsInstanceOf(DataAccessException.class)
			.untilAsserted(() -> assertThat(this.store.get("file")).isEqualTo("previous"));
		assertThat(this.store.getWithMetadata("file", KvType.TEXT).metadata().stringValue()).isEqualTo("old");
		// What the cut stream staged expires by itself.
		for (byte[] key : allKeys()) {
			if (!java.util.Arrays.equals(key, "kv:demo:file".getBytes())) {
				assertThat(this.redis.rawBinary().pttl(key)).as(java.util.HexFormat.of().formatHex(key)).isPositive();
			}
		}
	}

	// SCAN, not KEYS: Lettuce 7 (Spring Boot 4.1) takes KEYS' pattern as a String,
	// Lettuce 6 as a key.
	private List<byte[]> allKeys() {
		List<byte[]> keys = new java.util.ArrayList<>();
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<byte[]> page = this.redis.rawBinary().scan(cursor, ScanArgs.Builder.limit(1000));
			keys.addAll(page.getKeys());
			cursor = page;
		}
		while (!cursor.isFinished());
		return keys;
	}

}
