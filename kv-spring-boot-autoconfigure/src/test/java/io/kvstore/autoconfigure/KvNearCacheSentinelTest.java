package io.kvstore.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.kvstore.KvNamespace;
import io.kvstore.KvValue;
import io.kvstore.redis.KvNearCacheStatistics;
import io.kvstore.redis.RedisKvNamespace;
import io.kvstore.test.RedisSentinel;
import io.kvstore.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A store with a near cache on a master with one replica and three sentinels
 * ({@link RedisSentinel}, a new one for each test), configured only through
 * {@code spring.data.redis.sentinel.*}, across a failover ({@code SENTINEL FAILOVER}, or
 * the master killed): its invalidation channel goes down with the old master, the near
 * cache is emptied, it never answers a value older than a write that another application
 * instance made on the new master, and it comes back with hits on the new master.
 */
class KvNearCacheSentinelTest {

	private static final Duration FAILOVER_TIMEOUT = KvSentinelAutoConfigurationTest.FAILOVER_TIMEOUT;

	/**
	 * How long after another client's write the contract lets a near cache still answer
	 * the value it replaced: the invalidation's own way to this application (less than a
	 * millisecond on loopback), should the channel already be up on the new master.
	 * Without noticing the failover, the near cache would answer the old value for as
	 * long as its entry lives (60 s).
	 */
	private static final Duration INVALIDATION_GRACE = Duration.ofMillis(100);

	private RedisSentinel sentinel;

	private ApplicationContextRunner runner;

	@BeforeEach
	void startSentinel() {
		this.sentinel = RedisSentinel.start();
		this.runner = KvSentinelAutoConfigurationTest.runner(this.sentinel);
	}

	@AfterEach
	void stopSentinel() {
		this.sentinel.close();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "SENTINEL FAILOVER", "master killed" })
	void afterAFailoverTheNearCacheIsEmptiedNeverAnswersTheOldValueAndHitsOnTheNewMaster(String how) {
		this.runner.withPropertyValues("kv.stores.cached.near-cache.enabled=true").run((context) -> {
			KvNamespace cached = context.getBean(KvNamespace.class);
			KvNearCacheStatistics statistics = ((RedisKvNamespace) cached).nearCacheStatistics();
			cached.put("k", "before");
			cached.put("untouched", "kept");
			cached.put("gone", "deleted by another client");
			for (String key : List.of("k", "untouched", "gone")) {
				assertThat(cached.getWithMetadata(key).cacheStatus()).isEqualTo("MISS");
				assertThat(cached.getWithMetadata(key).cacheStatus()).isEqualTo("HIT");
			}
			RedisServer oldMaster = this.sentinel.master();
			RedisServer replica = this.sentinel.other(oldMaster);
			await("the replica has the entries").atMost(Duration.ofSeconds(10))
				.until(() -> replica.raw().exists("kv:cached:k", "kv:cached:untouched", "kv:cached:gone") == 3);
			// Another application instance, writing the same store without a near cache.
			this.runner.withPropertyValues("kv.stores.cached=").run((other) -> {
				KvNamespace writer = other.getBean(KvNamespace.class);
				try (Reader reader = new Reader(cached)) {
					await().atMost(FAILOVER_TIMEOUT).until(() -> reader.reads() > 100);
					RedisServer newMaster = failOver(how, oldMaster);
					// A put that succeeds now ran on the new master (the old one is dead
					// or a replica, which refuses writes).
					await("a put on the new master").atMost(FAILOVER_TIMEOUT)
						.ignoreExceptionsInstanceOf(DataAccessException.class)
						.until(() -> {
							writer.put("k", "after");
							return true;
						});
					long acknowledged = System.nanoTime();
					assertThat(newMaster.raw().hget("kv:cached:k", "v")).isEqualTo("after");
					await("the near cache hits the new value").atMost(FAILOVER_TIMEOUT)
						.ignoreExceptionsInstanceOf(DataAccessException.class)
						.until(() -> cached.getWithMetadata("k").equals(new KvValue<>("after", null, "HIT")));
					assertThat(statistics.isConnected()).isTrue();
					// Emptied: a key that nobody wrote since is read from the new master
					// once, then hits again.
					assertThat(cached.getWithMetadata("untouched")).isEqualTo(new KvValue<>("kept", null, "MISS"));
					assertThat(cached.getWithMetadata("untouched")).isEqualTo(new KvValue<>("kept", null, "HIT"));
					// Invalidated by the new master: another client deletes a key cached
					// from it.
					assertThat(cached.getWithMetadata("gone").cacheStatus()).isEqualTo("MISS");
					assertThat(cached.getWithMetadata("gone").cacheStatus()).isEqualTo("HIT");
					newMaster.raw().del("kv:cached:gone");
					await("the delete on the new master invalidates").atMost(Duration.ofSeconds(10))
						.until(() -> cached.getWithMetadata("gone").value() == null);
					assertThat(cached.getWithMetadata("gone")).isEqualTo(new KvValue<>(null, null, "HIT"));
					reader.stop();
					assertThat(reader.unexpected()).as("reads that failed other than as DataAccessException").isEmpty();
					long latest = reader.oldValueStarts()
						.stream()
						.mapToLong((start) -> start - acknowledged)
						.max()
						.orElse(Long.MIN_VALUE);
					assertThat(latest)
						.as("the latest start of a read of the old value, in ns after the new master acknowledged "
								+ "the new one")
						.isLessThan(INVALIDATION_GRACE.toNanos());
					System.out.println("Near cache across a Sentinel failover (" + how + "): " + reader.reads()
							+ " reads, " + reader.failures() + " failed as DataAccessException, "
							+ reader.oldValueStarts().size() + " answered the old value, the latest started "
							+ TimeUnit.NANOSECONDS.toMicros(-latest) + " µs before the new master acknowledged "
							+ "the new one");
				}
			});
		});
	}

	// Fails over and waits until the sentinels name the new master and, after a
	// SENTINEL FAILOVER, the old one is its replica (Sentinel demotes it, and closes its
	// clients' connections, some seconds after the promotion).
	private RedisServer failOver(String how, RedisServer oldMaster) {
		if (how.equals("master killed")) {
			oldMaster.kill();
			return this.sentinel.awaitMasterOtherThan(oldMaster, FAILOVER_TIMEOUT);
		}
		this.sentinel.failover();
		RedisServer newMaster = this.sentinel.awaitMasterOtherThan(oldMaster, FAILOVER_TIMEOUT);
		this.sentinel.awaitReplica(oldMaster, FAILOVER_TIMEOUT);
		return newMaster;
	}

	/**
	 * A thread that reads key {@code k} through the near-cached store until stopped,
	 * recording when each read that answered the old value started.
	 */
	private static final class Reader implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong reads = new AtomicLong();

		private final AtomicLong failures = new AtomicLong();

		private final List<Long> oldValueStarts = new CopyOnWriteArrayList<>();

		private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();

		private final Thread thread;

		Reader(KvNamespace store) {
			this.thread = new Thread(() -> {
				while (this.running.get()) {
					long start = System.nanoTime();
					try {
						if ("before".equals(store.get("k"))) {
							this.oldValueStarts.add(start);
						}
						this.reads.incrementAndGet();
					}
					catch (DataAccessException ex) {
						this.failures.incrementAndGet();
					}
					catch (Throwable ex) {
						this.unexpected.add(ex);
					}
					// Paced, so that the Redis servers and sentinels on the same cores
					// keep their time.
					LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
				}
			}, "near-cache-reader");
			this.thread.start();
		}

		long reads() {
			return this.reads.get();
		}

		long failures() {
			return this.failures.get();
		}

		List<Long> oldValueStarts() {
			return this.oldValueStarts;
		}

		List<Throwable> unexpected() {
			return this.unexpected;
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			this.thread.join(TimeUnit.SECONDS.toMillis(30));
			assertThat(this.thread.isAlive()).as("the reader ended").isFalse();
		}

		@Override
		public void close() throws InterruptedException {
			stop();
		}

	}

}
