package io.kvstore.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvStores;
import io.kvstore.memory.MemoryKvNamespace;
import io.kvstore.redis.KvRedisConnection;
import io.kvstore.redis.RedisKvNamespace;
import io.kvstore.test.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The memory backend through the auto-configuration: {@code kv.backend=memory} and per
 * store {@code kv.stores.<name>.backend}, with no Redis at all or one that points
 * nowhere, expiry by the application's {@link Clock} bean, health, and the start-up log
 * line of each store.
 */
@ExtendWith(OutputCaptureExtension.class)
class KvMemoryBackendAutoConfigurationTest {

	private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

	private final ApplicationContextRunner withoutRedis = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KvAutoConfiguration.class));

	private final ApplicationContextRunner redisNowhere = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, KvAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.port=1", "spring.data.redis.timeout=1s");

	@Test
	void storesInMemoryNeedNoRedisConnectionFactory() {
		this.withoutRedis.withPropertyValues("kv.backend=memory", "kv.stores.sessions=", "kv.stores.demo-cache=")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(KvRedisConnection.class);
				KvNamespace sessions = context.getBean(KvStores.class).get("sessions");
				assertThat(sessions).isInstanceOf(MemoryKvNamespace.class);
				sessions.put("k", "v");
				assertThat(sessions.get("k")).isEqualTo("v");
				assertThat(context.getBean("demoCache", KvNamespace.class).get("k")).isNull();
			});
	}

	@Test
	void memoryStoresWorkWhileTheRedisOfTheOtherStoresIsUnreachable() {
		this.redisNowhere.withPropertyValues("kv.stores.local.backend=memory", "kv.stores.remote=").run((context) -> {
			KvNamespace local = context.getBean("local", KvNamespace.class);
			KvNamespace remote = context.getBean("remote", KvNamespace.class);
			assertThat(local).isInstanceOf(MemoryKvNamespace.class);
			assertThat(remote).isInstanceOf(RedisKvNamespace.class);
			local.put("k", "v");
			assertThat(local.list().keys()).hasSize(1);
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> remote.get("k"));
		});
	}

	@Test
	void theStoreSettingOverridesTheGlobalBackend() {
		this.redisNowhere.withPropertyValues("kv.backend=memory", "kv.stores.local=", "kv.stores.remote.backend=redis")
			.run((context) -> {
				assertThat(context.getBean("local")).isInstanceOf(MemoryKvNamespace.class);
				assertThat(context.getBean("remote")).isInstanceOf(RedisKvNamespace.class);
			});
	}

	@Test
	void aStoreOnRedisWithoutARedisConnectionFactoryFailsStartUpNamingTheMemoryBackend() {
		this.withoutRedis.withPropertyValues("kv.stores.local.backend=memory", "kv.stores.remote=").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new KvFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Property: kv.stores.remote")
				.contains("store 'remote' is kept in Redis");
			assertThat(analysis.getAction()).contains("kv.stores.remote.backend=memory");
		});
	}

	@Test
	void entriesExpireByTheApplicationsClockBean() {
		this.withoutRedis.withUserConfiguration(OneClock.class)
			.withPropertyValues("kv.backend=memory", "kv.stores.sessions=")
			.run((context) -> {
				MutableClock clock = context.getBean(MutableClock.class);
				KvNamespace store = context.getBean(KvNamespace.class);
				store.put("ttl", "v", KvPutOptions.builder().expirationTtl(Duration.ofMinutes(5)).build());
				store.put("at", "v", KvPutOptions.builder().expiration(START.plus(Duration.ofMinutes(10))).build());
				store.put("forever", "v");
				assertThat(store.list().keys()).extracting("name", "expiration")
					.containsExactly(org.assertj.core.groups.Tuple.tuple("at", START.plusSeconds(600).getEpochSecond()),
							org.assertj.core.groups.Tuple.tuple("forever", null),
							org.assertj.core.groups.Tuple.tuple("ttl", START.plusSeconds(300).getEpochSecond()));
				clock.advance(Duration.ofMinutes(5).minusMillis(1));
				assertThat(store.get("ttl")).isEqualTo("v");
				clock.advance(Duration.ofMillis(1));
				assertThat(store.get("ttl")).isNull();
				assertThat(store.get("at")).isEqualTo("v");
				clock.advance(Duration.ofMinutes(5));
				assertThat(store.get("at")).isNull();
				assertThat(store.list().keys()).extracting("name").containsExactly("forever");
			});
	}

	@Test
	void withSeveralClocksThePrimaryOneIsUsed() {
		this.withoutRedis.withUserConfiguration(TwoClocks.class)
			.withPropertyValues("kv.backend=memory", "kv.stores.sessions=")
			.run((context) -> {
				KvNamespace store = context.getBean(KvNamespace.class);
				store.put("k", "v", KvPutOptions.builder().expirationTtl(60).build());
				assertThat(store.list().keys().get(0).expiration()).isEqualTo(START.plusSeconds(60).getEpochSecond());
			});
	}

	@Test
	void memoryStoresAreUpInHealth() {
		this.withoutRedis
			.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
					KvHealthContributorAutoConfiguration.class))
			.withPropertyValues("kv.backend=memory", "kv.stores.sessions=", "kv.stores.files=")
			.run((context) -> {
				CompositeHealthContributor kv = context.getBean("kvHealthContributor",
						CompositeHealthContributor.class);
				Health health = ((HealthIndicator) kv.getContributor("sessions")).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("backend", "memory (the application's heap)")
					.doesNotContainKey("keyPrefix");
			});
	}

	@Test
	void eachStoreIsLoggedOnceAtStartUpWithItsBackend(CapturedOutput output) {
		this.redisNowhere.withPropertyValues("kv.stores.local.backend=memory", "kv.stores.remote=").run((context) -> {
			context.getBean("local");
			context.getBean("remote");
			assertThat(output).contains("KV store 'local': backend memory (the application's heap)")
				.contains("KV store 'remote': backend redis localhost:1, key prefix 'kv:remote:'");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OneClock {

		@Bean
		MutableClock clock() {
			return new MutableClock(START);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoClocks {

		@Bean
		@Primary
		Clock primaryClock() {
			return Clock.fixed(START, java.time.ZoneOffset.UTC);
		}

		@Bean
		Clock otherClock() {
			return Clock.systemUTC();
		}

	}

}
