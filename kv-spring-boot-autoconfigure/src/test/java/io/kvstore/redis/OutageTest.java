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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.test.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Redis crashes in the middle of a load and comes back on the same port (append-only file,
 * {@code appendfsync always}): calls during the outage fail within the command timeout, the
 * stores recover by themselves, no acknowledged put is lost (staged puts included), a stream
 * cut by the outage leaves the previous entry intact, and whatever the crash interrupts, only
 * entries are left without an expiry.
 */
class OutageTest {

	private static final Duration TIMEOUT = Duration.ofMillis(500);

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

	@AfterEach
	void stop() {
		this.connection.close();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		this.redis.close();
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
				// Every other value is over the script limit, so it is staged and renamed.
				String value = (i % 2 == 0) ? "v" + i : ("v" + i + ":").repeat(EntryLayout.SCRIPT_VALUE_LIMIT / 2);
				long start = System.nanoTime();
				try {
					this.store.put(key, value, KvPutOptions.builder().metadata(i).build());
					acknowledged.put(key, value);
					warmedUp.countDown();
				}
				catch (DataAccessException ex) {
					failures.incrementAndGet();
					slowestFailureMillis.accumulateAndGet(Duration.ofNanos(System.nanoTime() - start).toMillis(), Math::max);
					// A put that failed may or may not have been applied: it is no longer known.
					acknowledged.remove(key);
				}
				i++;
			}
		});
		assertThat(warmedUp.await(30, TimeUnit.SECONDS)).isTrue();
		this.redis.kill();
		eventually(() -> failures.get() >= 3);
		long start = System.nanoTime();
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> this.store.get("k1"));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(1));
		this.redis.restart();
		int failuresAtRestart = failures.get();
		eventually(() -> {
			try {
				this.store.get("k1");
				return true;
			}
			catch (DataAccessException ex) {
				return false;
			}
		});
		running.set(false);
		writer.get(30, TimeUnit.SECONDS);
		assertThat(failuresAtRestart).isPositive();
		assertThat(slowestFailureMillis.get()).isLessThan(TIMEOUT.plusSeconds(1).toMillis());
		assertThat(acknowledged).isNotEmpty();
		for (Map.Entry<String, String> entry : acknowledged.entrySet()) {
			assertThat(this.store.get(entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue());
		}
		// Whatever the crash interrupted, nothing but entries is left without an expiry.
		EntryLayout layout = new EntryLayout("kv:demo:");
		for (byte[] key : this.redis.rawBinary().keys("*".getBytes(StandardCharsets.US_ASCII))) {
			if (!layout.isEntryKey(key)) {
				assertThat(this.redis.rawBinary().pttl(key)).as(new String(key, StandardCharsets.ISO_8859_1)).isPositive();
			}
		}
	}

	@Test
	void largePutsOnAStalledRedisFailWithinOneCommandTimeoutNotTwo() {
		this.store.put("big", "previous");
		byte[] staged = new byte[EntryLayout.RESTORE_VALUE_LIMIT + 1];
		byte[] chunked = new byte[EntryLayout.CHUNK_SIZE + 1];
		// Redis stops answering every client (the stores' connection too) for 8 timeouts, which
		// the two puts below take 4 at most.
		this.redis.raw().clientPause(8 * TIMEOUT.toMillis());
		for (byte[] value : List.of(staged, chunked)) {
			long start = System.nanoTime();
			org.assertj.core.api.Assertions.assertThatExceptionOfType(org.springframework.dao.QueryTimeoutException.class)
				.isThrownBy(() -> this.store.put("big", value));
			// The clean-up DEL of the staged value must not wait a second timeout.
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("%d bytes", value.length)
				.isLessThan(TIMEOUT.multipliedBy(2));
		}
		// Once Redis answers again, it runs what was queued: a put that timed out may or may not
		// have been applied (a timeout cannot tell), but nothing staged is left behind.
		eventually(() -> this.redis.rawBinary().keys("*".getBytes()).size() == 1);
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
		eventually(() -> {
			try {
				return "previous".equals(this.store.get("file"));
			}
			catch (DataAccessException ex) {
				return false;
			}
		});
		assertThat(this.store.getWithMetadata("file", KvType.TEXT).metadata().stringValue()).isEqualTo("old");
		// What the cut stream staged expires by itself.
		for (byte[] key : this.redis.rawBinary().keys("*".getBytes())) {
			if (!java.util.Arrays.equals(key, "kv:demo:file".getBytes())) {
				assertThat(this.redis.rawBinary().pttl(key)).as(java.util.HexFormat.of().formatHex(key)).isPositive();
			}
		}
	}

	private static void eventually(java.util.function.BooleanSupplier condition) {
		long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition met within 30 s").isLessThan(end);
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

}
