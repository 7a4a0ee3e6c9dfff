package io.kvstore.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.kvstore.KvListOptions;
import io.kvstore.KvListResult;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvStores;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.kvstore.redis.KvRedisConnection;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
import io.kvstore.test.RedisExtension;
import io.kvstore.test.RedisServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The auto-configuration: conditions, bean names and aliases, settings and their
 * overrides, replacement by the application's own beans, and every start-up failure with
 * its message.
 */
@ExtendWith(RedisExtension.class)
class KvAutoConfigurationTest {

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
	void withoutStoresThereIsAnEmptyRegistryAndNoStore() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(KvNamespace.class);
			assertThat(context.getBean(KvStores.class).names()).isEmpty();
			assertThat(context).hasSingleBean(KvRedisConnection.class);
		});
	}

	@Test
	void aStoreDeclaredWithAnEmptyValueIsABeanNamedAfterItWithACamelCaseAlias() {
		this.runner.withPropertyValues("kv.stores.demo-cache=").run((context) -> {
			assertThat(context).hasSingleBean(KvNamespace.class);
			assertThat(context).hasBean("demo-cache");
			assertThat(context.getAliases("demo-cache")).containsExactly("demoCache");
			KvNamespace store = context.getBean(KvNamespace.class);
			assertThat(store.name()).isEqualTo("demo-cache");
			assertThat(context.getBean("demoCache")).isSameAs(store);
			assertThat(context.getBean(KvStores.class).get("demo-cache")).isSameAs(store);
			assertThat(((RedisKvNamespace) store).settings()).isEqualTo(KvStoreSettings.defaults("demo-cache"));
		});
	}

	@Test
	void storesWorkAgainstRedisThroughTheApplicationsConnectionFactoryAndJsonMapper() {
		this.runner.withPropertyValues("kv.stores.sessions=").run((context) -> {
			KvNamespace store = context.getBean(KvNamespace.class);
			store.putJson("s1", Map.of("user", "ada"), KvPutOptions.builder().metadata("m").build());
			KvValue<Map> value = store.getWithMetadata("s1", KvType.json(Map.class));
			assertThat(value.value()).containsEntry("user", "ada");
			assertThat(this.redis.raw().hget("kv:sessions:s1", "v")).isEqualTo("{\"user\":\"ada\"}");
		});
	}

	@Test
	void storesAreInjectedByQualifierByAliasAndThroughTheRegistry() {
		this.runner.withPropertyValues("kv.stores.demo-cache=", "kv.stores.sessions=", "kv.stores.files=")
			.withUserConfiguration(Consumers.class)
			.run((context) -> {
				Consumers consumers = context.getBean(Consumers.class);
				assertThat(consumers.byQualifier.name()).isEqualTo("sessions");
				assertThat(consumers.demoCache.name()).isEqualTo("demo-cache");
				assertThat(consumers.files.name()).isEqualTo("files");
				KvStores stores = context.getBean(KvStores.class);
				assertThat(stores.names()).containsExactly("demo-cache", "files", "sessions");
				assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> stores.get("nope"))
					.withMessage("No KV store is named 'nope'; the declared stores are [demo-cache, files, sessions] "
							+ "(declare stores under kv.stores)");
			});
	}

	@Test
	void anEmptyDeclarationAndSettingsOfTheSameStoreFromDifferentSourcesCombine() {
		this.runner.withPropertyValues("kv.stores.sessions=")
			.withSystemProperties("kv.stores.sessions.default-ttl=24h")
			.run((context) -> {
				RedisKvNamespace store = (RedisKvNamespace) context.getBean("sessions");
				assertThat(store.settings().defaultTtl()).isEqualTo(Duration.ofHours(24));
			});
	}

	@Test
	void aStoreDeclaredThroughNestedSettingsOnlyExists() {
		this.runner.withPropertyValues("kv.stores.sessions.default-ttl=24h").run((context) -> {
			RedisKvNamespace store = (RedisKvNamespace) context.getBean("sessions");
			assertThat(store.settings().defaultTtl()).isEqualTo(Duration.ofHours(24));
		});
	}

	@Test
	void settingsApplyToEveryStoreAndStoresOverrideThem() {
		this.runner
			.withPropertyValues("kv.key-prefix=app:", "kv.default-ttl=2h", "kv.max-key-size=256B",
					"kv.max-value-size=10MB", "kv.max-metadata-size=2KB", "kv.min-ttl=30s", "kv.max-list-limit=500",
					"kv.stores.plain=", "kv.stores.custom.key-prefix=custom/", "kv.stores.custom.default-ttl=90",
					"kv.stores.custom.max-key-size=1KB", "kv.stores.custom.max-value-size=1MB",
					"kv.stores.custom.max-metadata-size=100", "kv.stores.custom.min-ttl=1",
					"kv.stores.custom.max-list-limit=10")
			.run((context) -> {
				assertThat(((RedisKvNamespace) context.getBean("plain")).settings()).isEqualTo(new KvStoreSettings(
						"app:plain:", Duration.ofHours(2), 256, 10 * 1024 * 1024, 2048, Duration.ofSeconds(30), 500));
				assertThat(((RedisKvNamespace) context.getBean("custom")).settings()).isEqualTo(new KvStoreSettings(
						"custom/", Duration.ofSeconds(90), 1024, 1024 * 1024, 100, Duration.ofSeconds(1), 10));
			});
	}

	@Test
	void theSettingsOfAStoreAreUsedByIt() {
		this.runner.withPropertyValues("kv.stores.small.max-value-size=10B", "kv.stores.small.max-list-limit=2")
			.run((context) -> {
				KvNamespace store = context.getBean(KvNamespace.class);
				assertThatExceptionOfType(IllegalArgumentException.class)
					.isThrownBy(() -> store.put("k", "01234567890"))
					.withMessage("'value' must be at most 10 bytes, was 11 bytes");
				store.put("a", "v");
				store.put("b", "v");
				store.put("c", "v");
				KvListResult page = store.list();
				assertThat(page.keys()).hasSize(2);
				assertThatExceptionOfType(IllegalArgumentException.class)
					.isThrownBy(() -> store.list(KvListOptions.builder().limit(3).build()))
					.withMessage("'limit' must be between 1 and 2, was 3");
			});
	}

	@Test
	void aBeanOfTheApplicationsOwnWithAStoresNameReplacesTheStore() {
		this.runner.withPropertyValues("kv.stores.sessions=", "kv.stores.files=")
			.withUserConfiguration(OwnSessions.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("sessions")).isSameAs(OwnSessions.STORE);
				assertThat(context.getBean(KvStores.class).get("sessions")).isSameAs(OwnSessions.STORE);
				assertThat(context.getBean(KvStores.class).get("files")).isInstanceOf(RedisKvNamespace.class);
			});
	}

	@Test
	void theApplicationsOwnRegistryReplacesOurs() {
		this.runner.withPropertyValues("kv.stores.sessions=")
			.withUserConfiguration(OwnRegistry.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(KvStores.class);
				assertThat(context.getBean(KvStores.class)).isSameAs(OwnRegistry.STORES);
			});
	}

	@Test
	void nothingIsConfiguredWithoutSpringDataRedis() {
		this.runner.withPropertyValues("kv.stores.sessions=")
			.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(KvStores.class);
				assertThat(context).doesNotHaveBean(KvNamespace.class);
			});
	}

	@Test
	void aJsonMapperIsOptional() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, KvAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=" + this.redis.port(), "kv.stores.sessions=")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(JsonMapper.class);
				context.getBean(KvNamespace.class).putJson("k", Map.of("a", 1));
				assertThat(context.getBean(KvNamespace.class).get("k")).isEqualTo("{\"a\":1}");
			});
	}

	@Test
	void anUnreachableRedisDoesNotFailStartUp() {
		this.runner
			.withPropertyValues("spring.data.redis.port=1", "kv.stores.sessions=", "spring.data.redis.timeout=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThatExceptionOfType(org.springframework.dao.DataAccessException.class)
					.isThrownBy(() -> context.getBean(KvNamespace.class).get("k"));
			});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					Demo_Cache=                         | kv.stores.Demo_Cache                 | 'Demo_Cache' is not a valid store name
					1cache=                             | kv.stores.1cache                     | '1cache' is not a valid store name
					kv.min-ttl=0s                       | kv.min-ttl                           | 'minTtl' must be a whole number of seconds, at least 1 second, was 0 seconds
					kv.stores.x.min-ttl=1500ms          | kv.stores.x.min-ttl                  | whole number of seconds
					kv.default-ttl=30s                  | kv.default-ttl                       | at least the minimum TTL (60 seconds), was 30 seconds
					kv.stores.x.default-ttl=10          | kv.stores.x.default-ttl              | at least the minimum TTL
					kv.max-value-size=-1B               | kv.max-value-size                    | 'maxValueSize' must be between 0 and 536870912 bytes, was -1 bytes
					kv.stores.x.max-key-size=0B         | kv.stores.x.max-key-size             | between 1 and 65536 bytes
					kv.stores.x.max-metadata-size=-5B   | kv.stores.x.max-metadata-size        | between 0 and
					kv.max-list-limit=0                 | kv.max-list-limit                    | between 1 and 100000
					kv.stores.x.key-prefix=             | kv.stores.x.key-prefix               | 'keyPrefix' must not be empty
					kv.key-prefix=a{b                   | kv.key-prefix                        | may only hold braces as one complete Redis Cluster hash tag
					kv.stores.y.key-prefix=kv:x:more:   | kv.stores.y.key-prefix               | starts with the key prefix 'kv:x:' of store 'x'
					kv.stores.a--b=                     | kv.stores.a-b                        | the store's bean name or camelCase alias 'aB' is also the name or alias of store 'a--b'
					""")
	void badConfigurationFailsStartUpNamingThePropertyAndTheFix(String property, String named, String problem) {
		String declaration = property.contains(".") ? property : "kv.stores." + property;
		this.runner.withPropertyValues(declaration, "kv.stores.x=", "kv.stores.a-b=").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Property: " + named).contains(problem);
			assertThat(analysis.getAction()).isNotBlank();
		});
	}

	@Test
	void aStoreWhoseNameClashesWithAnotherBeanFailsStartUp() {
		this.runner.withPropertyValues("kv.stores.sessions=")
			.withUserConfiguration(SessionsString.class)
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("Property: kv.stores.sessions")
					.contains("clashes with the bean 'sessions' of type java.lang.String");
				assertThat(analysis.getAction()).contains("Rename the store");
			});
	}

	@Test
	void aStoreWhoseAliasClashesWithAnotherBeanFailsStartUp() {
		this.runner.withPropertyValues("kv.stores.demo-cache=")
			.withUserConfiguration(DemoCacheString.class)
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("Property: kv.stores.demo-cache")
					.contains("alias 'demoCache' clashes with another bean");
			});
	}

	@Test
	void storesWithoutARedisConnectionFactoryFailStartUp() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KvAutoConfiguration.class))
			.withPropertyValues("kv.stores.sessions=")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("Property: kv.stores")
					.contains("the application has no RedisConnectionFactory");
				assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis");
			});
	}

	@Test
	void withoutStoresNoRedisConnectionFactoryIsNeeded() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KvAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(KvStores.class).names()).isEmpty();
			});
	}

	@Test
	void aDurationThatCannotBeParsedFailsWithBootsBindingReport() {
		this.runner.withPropertyValues("kv.min-ttl=soon", "kv.stores.x=").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("kv.min-ttl");
		});
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new KvFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("a KvConfigurationException in %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class Consumers {

		final KvNamespace byQualifier;

		final KvNamespace demoCache;

		final KvNamespace files;

		Consumers(@Qualifier("sessions") KvNamespace byQualifier, KvNamespace demoCache, KvNamespace files) {
			this.byQualifier = byQualifier;
			this.demoCache = demoCache;
			this.files = files;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSessions {

		static final KvNamespace STORE = (KvNamespace) java.lang.reflect.Proxy.newProxyInstance(
				OwnSessions.class.getClassLoader(), new Class<?>[] { KvNamespace.class },
				(proxy, method, args) -> method.getName().equals("name") ? "sessions" : null);

		@Bean
		KvNamespace sessions() {
			return STORE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRegistry {

		static final KvStores STORES = KvStores.of(java.util.List.of());

		@Bean
		KvStores myStores() {
			return STORES;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SessionsString {

		@Bean
		String sessions() {
			return "not a store";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DemoCacheString {

		@Bean
		@Nullable String demoCache() {
			return "not a store";
		}

	}

}
