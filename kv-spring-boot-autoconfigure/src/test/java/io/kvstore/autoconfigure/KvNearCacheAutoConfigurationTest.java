package io.kvstore.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.kvstore.KvNamespace;
import io.kvstore.KvStores;
import io.kvstore.KvValue;
import io.kvstore.test.RedisExtension;
import io.kvstore.test.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache as the auto-configuration wires it: per store and for all stores, off by
 * default, ignored for stores in memory, its meters and health, and every bad setting
 * fails start-up naming its property.
 */
@ExtendWith(RedisExtension.class)
class KvNearCacheAutoConfigurationTest {

	private ApplicationContextRunner runner;

	private RedisServer redis;

	@BeforeEach
	void runner(RedisServer redis) {
		this.redis = redis;
		redis.flushAll();
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					KvAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port());
	}

	@Test
	void aStoreWithNearCacheEnabledAnswersReadsFromIt() {
		this.runner.withPropertyValues("kv.stores.cached.near-cache.enabled=true", "kv.stores.plain=")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				KvStores stores = context.getBean(KvStores.class);
				KvNamespace cached = stores.get("cached");
				cached.put("k", "v");
				assertThat(cached.getWithMetadata("k")).isEqualTo(new KvValue<>("v", null, "MISS"));
				assertThat(cached.getWithMetadata("k")).isEqualTo(new KvValue<>("v", null, "HIT"));
				assertThat(cached.getWithMetadata("missing")).isEqualTo(new KvValue<>(null, null, "MISS"));
				KvNamespace plain = stores.get("plain");
				plain.put("k", "v");
				assertThat(plain.getWithMetadata("k")).isEqualTo(new KvValue<>("v", null, null));
				assertThat(plain.getWithMetadata("missing")).isEqualTo(new KvValue<>(null, null, null));
			});
	}

	@Test
	void settingsUnderKvNearCacheApplyToEveryStoreUnlessAStoreSetsItsOwn() {
		this.runner
			.withPropertyValues("kv.near-cache.enabled=true", "kv.near-cache.max-value-size=4B", "kv.stores.x=",
					"kv.stores.y.near-cache.max-value-size=1KB", "kv.stores.z.near-cache.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				KvStores stores = context.getBean(KvStores.class);
				for (String name : stores.names()) {
					stores.get(name).put("k", "12345");
				}
				assertThat(stores.get("x").getWithMetadata("k").cacheStatus()).isEqualTo("BYPASS");
				stores.get("y").get("k");
				assertThat(stores.get("y").getWithMetadata("k").cacheStatus()).isEqualTo("HIT");
				assertThat(stores.get("z").getWithMetadata("k").cacheStatus()).isNull();
			});
	}

	@Test
	void theNearCacheIsOffByDefault() {
		this.runner.withPropertyValues("kv.stores.x=").run((context) -> {
			KvNamespace store = context.getBean(KvNamespace.class);
			store.put("k", "v");
			store.get("k");
			assertThat(store.getWithMetadata("k").cacheStatus()).isNull();
		});
	}

	@Test
	void storesInMemoryIgnoreTheNearCache() {
		this.runner
			.withPropertyValues("kv.backend=memory", "kv.near-cache.enabled=true",
					"kv.stores.x.near-cache.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				KvNamespace store = context.getBean(KvNamespace.class);
				store.put("k", "v");
				assertThat(store.getWithMetadata("k")).isEqualTo(new KvValue<>("v", null, null));
			});
	}

	@Test
	void nearCacheMetersCountHitsMissesBypassesEvictionsAndInvalidationsPerStore() {
		this.runner
			.withConfiguration(
					AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
							SimpleMetricsExportAutoConfiguration.class, KvObservationAutoConfiguration.class))
			.withPropertyValues("kv.stores.cached.near-cache.enabled=true", "kv.stores.cached.near-cache.max-entries=2",
					"kv.stores.cached.near-cache.max-value-size=8B", "kv.stores.plain=")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				KvNamespace cached = context.getBean(KvStores.class).get("cached");
				cached.put("a", "1");
				cached.put("large", "0123456789");
				cached.get("a"); // miss
				cached.get("a"); // hit
				cached.get(List.of("a", "missing")); // hit, miss
				cached.get("large"); // bypass
				assertThat(gets(meters, "hit")).isEqualTo(2);
				assertThat(gets(meters, "miss")).isEqualTo(2);
				assertThat(gets(meters, "bypass")).isEqualTo(1);
				assertThat(meters.get("kv.near-cache.size").tag("store", "cached").gauge().value()).isEqualTo(2);
				// Another client changes a cached key: Redis pushes an invalidation.
				this.redis.raw().hset("kv:cached:a", "v", "2");
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(
							meters.get("kv.near-cache.invalidations").tag("store", "cached").functionCounter().count())
						.isEqualTo(1));
				// Over max-entries (2): Caffeine evicts.
				for (String key : List.of("b", "c", "d", "e")) {
					cached.get(key);
				}
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(
							meters.get("kv.near-cache.evictions").tag("store", "cached").functionCounter().count())
						.isPositive());
				assertThat(gets(meters, "miss")).isEqualTo(6);
				assertThat(meters.find("kv.near-cache.gets").tag("store", "plain").meters())
					.as("a store without near cache has no near-cache meters")
					.isEmpty();
			});
	}

	@Test
	void healthShowsWhetherTheNearCacheIsConnected() {
		this.runner
			.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
					KvHealthContributorAutoConfiguration.class))
			.withPropertyValues("kv.stores.cached.near-cache.enabled=true", "kv.stores.plain=")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				KvNamespace cached = context.getBean(KvStores.class).get("cached");
				cached.put("k", "v");
				cached.get("k");
				CompositeHealthContributor kv = context.getBean("kvHealthContributor",
						CompositeHealthContributor.class);
				Health health = ((HealthIndicator) kv.getContributor("cached")).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("nearCache", Map.of("connected", true, "entries", 1L));
				assertThat(((HealthIndicator) kv.getContributor("plain")).health(true).getDetails())
					.doesNotContainKey("nearCache");
			});
	}

	private static double gets(MeterRegistry meters, String result) {
		return meters.get("kv.near-cache.gets").tags("store", "cached", "result", result).functionCounter().count();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					kv.near-cache.ttl=10s                        | kv.near-cache.ttl                        | 'nearCache.ttl' must be at least the minimum cache TTL (30 seconds, min-cache-ttl), was 10 seconds
					kv.stores.x.near-cache.ttl=1500ms            | kv.stores.x.near-cache.ttl               | whole number of seconds
					kv.stores.x.near-cache.max-entries=0         | kv.stores.x.near-cache.max-entries       | 'nearCache.maxEntries' must be between 1 and
					kv.near-cache.max-value-size=2MB             | kv.near-cache.max-value-size             | 'nearCache.maxValueSize' must be between 0 and 1048576 bytes, was 2097152 bytes
					kv.stores.x.near-cache.size=5                | kv.stores.x.near-cache.size              | 'size' is not a setting of a near cache; the settings are [enabled, max-entries, ttl, max-value-size]
					""")
	void badNearCacheSettingsFailStartUpNamingTheProperty(String property, String named, String problem) {
		this.runner.withPropertyValues(property, "kv.stores.x.near-cache.enabled=true").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new KvFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("a KvConfigurationException in %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains("Property: " + named).contains(problem);
			assertThat(analysis.getAction()).isNotBlank();
		});
	}

	@Test
	void aNearCacheTtlBelowAStoresOwnMinCacheTtlFails() {
		this.runner.withPropertyValues("kv.stores.x.near-cache.enabled=true", "kv.stores.x.min-cache-ttl=120s")
			.run((context) -> {
				FailureAnalysis analysis = new KvFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: kv.near-cache.ttl")
					.contains("at least the minimum cache TTL (120 seconds");
			});
	}

}
