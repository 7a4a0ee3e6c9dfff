package io.kvstore.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.kvstore.KvListOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.redis.KvReplicaAckException;
import io.kvstore.test.RedisSentinel;
import io.kvstore.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Stores on a master with one replica and three sentinels ({@link RedisSentinel}, a new
 * one for each test), configured only through {@code spring.data.redis.sentinel.*}: they
 * work, a failover under load recovers without a restart, calls fail only while it runs
 * and then as {@link DataAccessException}, and a store with
 * {@code redis.replicas-to-wait=1} loses no acknowledged write across a failover, where a
 * store without it can.
 */
class KvSentinelAutoConfigurationTest {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(60);

	private RedisSentinel sentinel;

	private ApplicationContextRunner runner;

	@BeforeEach
	void startSentinel() {
		this.sentinel = RedisSentinel.start();
		this.runner = runner(this.sentinel).withPropertyValues("kv.min-ttl=1s");
	}

	/**
	 * A runner of the Redis and KV auto-configurations configured only through
	 * {@code spring.data.redis.sentinel.*}, with a command timeout of 2 s.
	 */
	static ApplicationContextRunner runner(RedisSentinel sentinel) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					KvAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.sentinel.master=" + RedisSentinel.MASTER_NAME,
					"spring.data.redis.sentinel.nodes=" + sentinel.nodes(),
					"spring.data.redis.timeout=" + COMMAND_TIMEOUT.toMillis() + "ms");
	}

	@AfterEach
	void stopSentinel() {
		this.sentinel.close();
	}

	@Test
	void storesWorkOnTheMasterThatTheSentinelsNameAndReachTheReplica() {
		RedisServer master = this.sentinel.master();
		RedisServer replica = this.sentinel.other(master);
		this.runner.withPropertyValues("kv.stores.sessions=").run((context) -> {
			KvNamespace store = context.getBean(KvNamespace.class);
			for (int i = 0; i < 50; i++) {
				store.put("user:" + i, "v" + i, KvPutOptions.builder().metadata(i).expirationTtl(3600).build());
			}
			store.put("large", new byte[3 * 1024 * 1024]);
			store.delete("user:0");
			assertThat(store.get("user:7")).isEqualTo("v7");
			assertThat(store.get("user:0")).isNull();
			assertThat(store.get("large", KvType.BYTES)).hasSize(3 * 1024 * 1024);
			assertThat(store.list(KvListOptions.prefix("user:")).keys()).hasSize(49);
			assertThat(master.raw().exists("kv:sessions:user:7")).isEqualTo(1);
			await("the replica has the entries").atMost(Duration.ofSeconds(10))
				.until(() -> replica.raw().exists("kv:sessions:user:7", "kv:sessions:large") == 2
						&& replica.raw().exists("kv:sessions:user:0") == 0);
		});
	}

	@Test
	void aFailoverUnderLoadRecoversWithoutARestartAndCallsFailOnlyWhileItRunsAsDataAccessException() {
		this.runner.withPropertyValues("kv.stores.sessions=").run((context) -> {
			KvNamespace store = context.getBean(KvNamespace.class);
			for (int i = 0; i < 20; i++) {
				store.put("seed:" + i, "s" + i);
			}
			RedisServer oldMaster = this.sentinel.master();
			RedisServer replica = this.sentinel.other(oldMaster);
			await().atMost(Duration.ofSeconds(10)).until(() -> replica.raw().exists("kv:sessions:seed:19") == 1);
			Load load = new Load(4, (thread, i) -> {
				store.put("load:" + thread + ":" + i, "v" + i);
				String seed = store.get("seed:" + (i % 20));
				// Never a silent null: a seed written before the failover is on both
				// servers.
				assertThat(seed).isEqualTo("s" + (i % 20));
			});
			load.awaitSuccesses(200);
			long trigger = System.nanoTime();
			this.sentinel.failover();
			RedisServer newMaster = this.sentinel.awaitMasterOtherThan(oldMaster, FAILOVER_TIMEOUT);
			this.sentinel.awaitReplica(oldMaster, FAILOVER_TIMEOUT);
			// From here on the old master is a replica: a call that succeeds ran on the
			// new master. Every call that starts after the first such success must
			// succeed.
			long recovered = load.awaitSuccessStartedAfter(System.nanoTime(), FAILOVER_TIMEOUT);
			long afterRecovery = load.successes() + 200;
			load.awaitSuccesses(afterRecovery);
			load.stop();
			assertThat(load.unexpected()).as("failures that are no DataAccessException").isEmpty();
			for (Load.Failure failure : load.failures()) {
				assertThat(failure.startedAt()).as("a failure started before the failover: " + failure.cause())
					.isGreaterThanOrEqualTo(trigger);
				assertThat(failure.startedAt()).as("a failure after recovery: " + failure.cause())
					.isLessThan(recovered);
			}
			assertThat(newMaster.raw().exists("kv:sessions:load:0:" + (load.lastSuccess(0)))).isEqualTo(1);
			assertThat(store.get("seed:3")).isEqualTo("s3");
			System.out.println(
					"Sentinel failover under load: " + load.successes() + " calls succeeded, " + load.failures().size()
							+ " failed as DataAccessException; " + TimeUnit.NANOSECONDS.toMillis(recovered - trigger)
							+ " ms from SENTINEL FAILOVER to the old master back as a replica");
		});
	}

	@Test
	void withReplicasToWaitNoAcknowledgedWriteIsLostWhenTheMasterIsKilledUnderLoad() {
		this.runner
			.withPropertyValues("kv.stores.durable.redis.replicas-to-wait=1",
					"kv.stores.durable.redis.wait-timeout=500ms", "kv.stores.fast=")
			.run((context) -> {
				KvNamespace durable = context.getBean("durable", KvNamespace.class);
				KvNamespace fast = context.getBean("fast", KvNamespace.class);
				Set<String> durableAcknowledged = ConcurrentHashMap.newKeySet();
				Set<String> fastAcknowledged = ConcurrentHashMap.newKeySet();
				Load load = new Load(4, (thread, i) -> {
					String key = thread + ":" + i;
					KvNamespace store = (i % 2 == 0) ? durable : fast;
					store.put(key, "v" + i);
					((store == durable) ? durableAcknowledged : fastAcknowledged).add(key);
				});
				load.awaitSuccesses(400);
				RedisServer oldMaster = this.sentinel.master();
				oldMaster.kill();
				RedisServer newMaster = this.sentinel.awaitMasterOtherThan(oldMaster, FAILOVER_TIMEOUT);
				// With no replica left, the durable store's writes fail until the old
				// master is back as a replica; the fast store's go on.
				long failuresBefore = load.failures().size();
				oldMaster.restart();
				this.sentinel.awaitReplica(oldMaster, FAILOVER_TIMEOUT);
				load.awaitSuccessStartedAfter(System.nanoTime(), FAILOVER_TIMEOUT);
				load.stop();
				assertThat(load.unexpected()).as("failures that are no DataAccessException").isEmpty();
				assertThat(durableAcknowledged).hasSizeGreaterThan(100);
				List<String> durableLost = lost(newMaster, "kv:durable:", durableAcknowledged);
				List<String> fastLost = lost(newMaster, "kv:fast:", fastAcknowledged);
				assertThat(durableLost).as("acknowledged writes of the store that waits for a replica, lost").isEmpty();
				assertThat(load.failures().stream().map(Load.Failure::cause))
					.anySatisfy((cause) -> assertThat(cause).isInstanceOf(DataAccessException.class));
				System.out.println("SIGKILL of the master under load: durable store " + durableAcknowledged.size()
						+ " acknowledged, " + durableLost.size() + " lost; fast store " + fastAcknowledged.size()
						+ " acknowledged, " + fastLost.size() + " lost; " + load.failures().size() + " calls failed ("
						+ failuresBefore + " before the old master came back)");
			});
	}

	@Test
	void aFailoverLosesWritesTheMasterAcknowledgedUnlessTheStoreWaitsForAReplicaWhichRefusesThem() {
		this.runner
			.withPropertyValues("kv.stores.durable.redis.replicas-to-wait=1",
					"kv.stores.durable.redis.wait-timeout=100ms", "kv.stores.fast=")
			.run((context) -> {
				KvNamespace durable = context.getBean("durable", KvNamespace.class);
				KvNamespace fast = context.getBean("fast", KvNamespace.class);
				durable.put("before", "replicated");
				fast.put("before", "replicated");
				RedisServer oldMaster = this.sentinel.master();
				RedisServer replica = this.sentinel.other(oldMaster);
				await().atMost(Duration.ofSeconds(10)).until(() -> replica.raw().exists("kv:fast:before") == 1);
				this.sentinel.cutReplication();
				List<String> fastAcknowledged = new ArrayList<>();
				for (int i = 0; i < 5; i++) {
					fast.put("after:" + i, "only on the master");
					fastAcknowledged.add("after:" + i);
					int n = i;
					assertThatExceptionOfType(KvReplicaAckException.class)
						.isThrownBy(() -> durable.put("after:" + n, "only on the master"))
						.withMessageContaining("acknowledged by 0 of the 1 replica");
				}
				assertThat(oldMaster.raw().exists("kv:fast:after:4", "kv:durable:after:4")).isEqualTo(2);
				oldMaster.kill();
				RedisServer newMaster = this.sentinel.awaitMasterOtherThan(oldMaster, FAILOVER_TIMEOUT);
				assertThat(newMaster).isSameAs(replica);
				// The store without the setting acknowledged five writes the failover
				// lost.
				assertThat(lost(newMaster, "kv:fast:", fastAcknowledged)).containsExactlyElementsOf(fastAcknowledged);
				// The store with it acknowledged only what the replica had.
				assertThat(newMaster.raw().exists("kv:durable:before", "kv:fast:before")).isEqualTo(2);
				await("the store answers from the new master").atMost(FAILOVER_TIMEOUT)
					.ignoreExceptionsInstanceOf(DataAccessException.class)
					.until(() -> "replicated".equals(fast.get("before")));
				assertThat(durable.get("before")).isEqualTo("replicated");
				assertThat(fast.get("after:0")).isNull();
			});
	}

	private static List<String> lost(RedisServer master, String prefix, java.util.Collection<String> keys) {
		List<String> lost = new ArrayList<>();
		for (String key : keys) {
			if (master.raw().exists(prefix + key) == 0) {
				lost.add(key);
			}
		}
		return lost;
	}

	/**
	 * Threads that call a store in a loop until stopped, each call numbered per thread,
	 * recording when each call started, which failed and how.
	 */
	private static final class Load {

		record Failure(long startedAt, Throwable cause) {
		}

		@FunctionalInterface
		interface Call {

			void run(int thread, long i) throws Exception;

		}

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong successes = new AtomicLong();

		private final AtomicLong lastSuccessStart = new AtomicLong(Long.MIN_VALUE);

		private final long[] lastSuccess;

		private final List<Failure> failures = new CopyOnWriteArrayList<>();

		private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();

		private final ExecutorService executor;

		private final List<Future<?>> threads = new ArrayList<>();

		Load(int threads, Call call) {
			this.lastSuccess = new long[threads];
			this.executor = Executors.newFixedThreadPool(threads);
			for (int t = 0; t < threads; t++) {
				int thread = t;
				this.threads.add(this.executor.submit(() -> {
					for (long i = 0; this.running.get(); i++) {
						long start = System.nanoTime();
						try {
							call.run(thread, i);
							this.successes.incrementAndGet();
							this.lastSuccess[thread] = i;
							this.lastSuccessStart.accumulateAndGet(start, Math::max);
						}
						catch (DataAccessException ex) {
							this.failures.add(new Failure(start, ex));
						}
						catch (Throwable ex) {
							this.unexpected.add(ex);
						}
					}
				}));
			}
		}

		long successes() {
			return this.successes.get();
		}

		long lastSuccess(int thread) {
			return this.lastSuccess[thread];
		}

		List<Failure> failures() {
			return this.failures;
		}

		List<Throwable> unexpected() {
			return this.unexpected;
		}

		void awaitSuccesses(long count) {
			await(count + " successful calls").atMost(FAILOVER_TIMEOUT).until(() -> this.successes.get() >= count);
		}

		// The start of the first successful call that started after the given instant.
		long awaitSuccessStartedAfter(long instant, Duration timeout) {
			await("a successful call that started after the failover").atMost(timeout)
				.until(() -> this.lastSuccessStart.get() >= instant);
			return this.lastSuccessStart.get();
		}

		void stop() {
			this.running.set(false);
			this.executor.shutdown();
			for (Future<?> thread : this.threads) {
				try {
					thread.get(30, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					throw new IllegalStateException("A load thread did not end", ex);
				}
			}
		}

	}

}
