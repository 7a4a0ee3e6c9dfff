package io.kvstore.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.kvstore.KvNamespace;
import io.kvstore.KvSerializationException;
import io.kvstore.KvType;
import io.kvstore.cache.KvCacheManager;
import io.kvstore.test.RedisExtension;
import io.kvstore.test.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spring Cache over the stores: {@code @Cacheable}, {@code @CachePut},
 * {@code @CacheEvict} with the stores' TTLs, values as JSON read back as their types
 * (allowed packages only), one computation per key, null values, unknown cache names,
 * metrics, and backing off.
 */
@ExtendWith(RedisExtension.class)
class KvCacheAutoConfigurationTest {

	private final ApplicationContextRunner memory = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KvAutoConfiguration.class, KvCacheAutoConfiguration.class,
				CacheAutoConfiguration.class))
		.withUserConfiguration(Caching.class)
		.withPropertyValues("kv.backend=memory", "kv.cache.enabled=true", "kv.stores.users.default-ttl=1h",
				"kv.stores.other=", "kv.cache.allowed-packages=io.kvstore.autoconfigure");

	@Test
	void cacheableCachesTheResultAsJsonWithTheStoresTtlAndReturnsItAsItsType() {
		this.memory.run((context) -> {
			assertThat(context).hasSingleBean(KvCacheManager.class);
			UserService service = context.getBean(UserService.class);
			User first = service.find(1);
			assertThat(service.find(1)).isEqualTo(first);
			assertThat(service.calls()).isOne();
			KvNamespace users = context.getBean("users", KvNamespace.class);
			JsonNode json = users.get("1", KvType.JSON);
			assertThat(json.get("name").stringValue()).isEqualTo("user 1");
			assertThat(users.list().keys().get(0).expiration()).isNotNull();
			assertThat(context.getBean(CacheManager.class).getCacheNames()).containsExactlyInAnyOrder("users", "other");
		});
	}

	@Test
	void cachePutAndCacheEvictWorkAsWithSpringsOwnCaches() {
		this.memory.run((context) -> {
			UserService service = context.getBean(UserService.class);
			KvNamespace users = context.getBean("users", KvNamespace.class);
			service.find(1);
			service.find(2);
			service.rename(1, "renamed");
			assertThat(service.find(1).name()).isEqualTo("renamed");
			assertThat(service.calls()).isEqualTo(2);
			service.evict(1);
			assertThat(users.get("1")).isNull();
			service.evictAll();
			assertThat(users.list().keys()).isEmpty();
			service.find(2);
			assertThat(service.calls()).isEqualTo(3);
		});
	}

	@Test
	void aGetWithALoaderComputesAMissingValueOncePerKeyHoweverManyThreadsAsk() throws Exception {
		this.memory.run((context) -> {
			Cache cache = context.getBean(CacheManager.class).getCache("users");
			AtomicInteger loads = new AtomicInteger();
			CountDownLatch release = new CountDownLatch(1);
			List<Thread> threads = new ArrayList<>();
			List<Object> results = java.util.Collections.synchronizedList(new ArrayList<>());
			for (int i = 0; i < 8; i++) {
				Thread thread = new Thread(() -> results.add(cache.get("k", () -> {
					loads.incrementAndGet();
					release.await(30, TimeUnit.SECONDS);
					return new User(7, "loaded");
				})));
				threads.add(thread);
				thread.start();
			}
			// One thread loads (waiting for the release); the seven others wait for it.
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (loads.get() < 1
					|| threads.stream().filter((t) -> t.getState() == Thread.State.WAITING).count() < 7) {
				assertThat(System.nanoTime()).isLessThan(deadline);
				Thread.onSpinWait();
			}
			release.countDown();
			for (Thread thread : threads) {
				thread.join(30_000);
			}
			assertThat(loads.get()).isOne();
			assertThat(results).hasSize(8).containsOnly(new User(7, "loaded"));
		});
	}

	@Test
	void syncCacheableAndPutIfAbsentWork() {
		this.memory.run((context) -> {
			UserService service = context.getBean(UserService.class);
			assertThat(service.findSync(3)).isEqualTo(service.findSync(3));
			assertThat(service.calls()).isOne();
			Cache cache = context.getBean(CacheManager.class).getCache("other");
			assertThat(cache.putIfAbsent("a", "first")).isNull();
			assertThat(cache.putIfAbsent("a", "second").get()).isEqualTo("first");
			assertThat(cache.get("a", String.class)).isEqualTo("first");
		});
	}

	@Test
	void nullValuesAreNotCachedUnlessTheSettingSaysSo() {
		this.memory.run((context) -> {
			UserService service = context.getBean(UserService.class);
			assertThat(service.findOrNull(9)).isNull();
			assertThat(service.findOrNull(9)).isNull();
			assertThat(service.calls()).isEqualTo(2);
		});
		this.memory.withPropertyValues("kv.cache.cache-null-values=true").run((context) -> {
			UserService service = context.getBean(UserService.class);
			assertThat(service.findOrNull(9)).isNull();
			assertThat(service.findOrNull(9)).isNull();
			assertThat(service.calls()).isOne();
			assertThat(context.getBean("users", KvNamespace.class).get("9", KvType.JSON)).isNotNull();
		});
	}

	@Test
	void onlyTypesOfAllowedPackagesAreCachedAndReadBack() {
		this.memory.withPropertyValues("kv.cache.allowed-packages=com.example").run((context) -> {
			Cache cache = context.getBean(CacheManager.class).getCache("users");
			assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> cache.put("u", new User(1, "a")))
				.withMessageContaining("io.kvstore.autoconfigure.KvCacheAutoConfigurationTest$User")
				.withMessageContaining("kv.cache.allowed-packages");
			cache.put("list", List.of(1, 2));
			assertThat(cache.get("list").get()).isEqualTo(List.of(1, 2));
			// Stored data that names a type the application does not allow is refused.
			KvNamespace users = context.getBean("users", KvNamespace.class);
			users.put("evil",
					"{\"@class\":\"io.kvstore.autoconfigure.KvCacheAutoConfigurationTest$User\",\"id\":1,\"name\":\"x\"}");
			assertThatExceptionOfType(KvSerializationException.class).isThrownBy(() -> cache.get("evil"))
				.withMessageContaining("cannot be read back")
				.withMessageContaining("kv.cache.allowed-packages");
		});
	}

	@Test
	void aCacheNameThatIsNoStoreFailsNamingTheDeclaredStores() {
		this.memory.run((context) -> {
			assertThat(context.getBean(CacheManager.class).getCache("nope")).isNull();
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> context.getBean(UserService.class).unknown())
				.withMessageContaining("No cache named 'nope'")
				.withMessageContaining("[other, users]");
		});
	}

	@Test
	void cacheMetricsCountGetsHitsMissesPutsAndEvictions() {
		this.memory
			.withConfiguration(
					AutoConfigurations.of(MetricsAutoConfiguration.class, CacheMetricsAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				UserService service = context.getBean(UserService.class);
				service.find(1);
				service.find(1);
				service.evict(1);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(
						registry.get("cache.gets").tag("cache", "users").tag("result", "hit").functionCounter().count())
					.isEqualTo(1);
				assertThat(registry.get("cache.gets")
					.tag("cache", "users")
					.tag("result", "miss")
					.functionCounter()
					.count()).isEqualTo(1);
				assertThat(registry.get("cache.puts").tag("cache", "users").functionCounter().count()).isEqualTo(1);
				assertThat(registry.get("cache.evictions").tag("cache", "users").functionCounter().count())
					.isEqualTo(1);
			});
	}

	@Test
	void theApplicationsOwnCacheManagerWins() {
		this.memory.withBean(CacheManager.class, ConcurrentMapCacheManager::new).run((context) -> {
			assertThat(context).doesNotHaveBean(KvCacheManager.class);
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
		});
	}

	@Test
	void withoutTheSettingThereIsNoKvCacheManager() {
		this.memory.withPropertyValues("kv.cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KvCacheManager.class));
	}

	@Test
	void theSameOnRedis(RedisServer redis) {
		redis.flushAll();
		this.memory.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("kv.backend=redis", "spring.data.redis.port=" + redis.port())
			.run((context) -> {
				UserService service = context.getBean(UserService.class);
				User first = service.find(5);
				assertThat(service.find(5)).isEqualTo(first);
				assertThat(service.calls()).isOne();
				assertThat(redis.raw().pttl("kv:users:5")).isBetween(1L, Duration.ofHours(1).toMillis());
				service.evictAll();
				assertThat(redis.raw().exists("kv:users:5")).isZero();
			});
	}

	@Test
	void aStoreWithANearCacheGivesCacheableLocalHits(RedisServer redis) {
		redis.flushAll();
		this.memory.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("kv.backend=redis", "spring.data.redis.port=" + redis.port(),
					"kv.stores.users.near-cache.enabled=true")
			.run((context) -> {
				UserService service = context.getBean(UserService.class);
				User first = service.find(6);
				// A read of what Redis holds fills the near cache...
				assertThat(service.find(6)).isEqualTo(first);
				long reads = redis.commandCalls("hmget");
				// ... and the next ones are answered by it, without Redis.
				assertThat(service.find(6)).isEqualTo(first);
				assertThat(service.find(6)).isEqualTo(first);
				assertThat(redis.commandCalls("hmget")).isEqualTo(reads);
				assertThat(service.calls()).isOne();
			});
	}

	/** A value type of the application's. */
	record User(int id, String name) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Caching {

		@Bean
		UserService userService() {
			return new UserService();
		}

	}

	static class UserService {

		private final AtomicInteger calls = new AtomicInteger();

		public int calls() {
			return this.calls.get();
		}

		@Cacheable("users")
		public User find(int id) {
			this.calls.incrementAndGet();
			return new User(id, "user " + id);
		}

		@Cacheable(cacheNames = "users", sync = true)
		public User findSync(int id) {
			this.calls.incrementAndGet();
			return new User(id, "user " + id);
		}

		@Cacheable("users")
		public @Nullable User findOrNull(int id) {
			this.calls.incrementAndGet();
			return null;
		}

		@CachePut(cacheNames = "users", key = "#id")
		public User rename(int id, String name) {
			return new User(id, name);
		}

		@CacheEvict("users")
		public void evict(int id) {
		}

		@CacheEvict(cacheNames = "users", allEntries = true)
		public void evictAll() {
		}

		@Cacheable("nope")
		public String unknown() {
			return "x";
		}

	}

}
