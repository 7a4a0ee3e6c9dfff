package io.kvstore.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvStores;
import io.kvstore.redis.RedisKvNamespace;
import io.kvstore.test.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole Spring Boot application against a real Redis, with stores declared in YAML
 * (empty maps included), on the command line, in environment variables and in
 * {@code SPRING_APPLICATION_JSON}.
 */
@SpringBootTest(classes = KvStarterApplicationTest.App.class, properties = "spring.config.name=kv-starter-test")
class KvStarterApplicationTest {

	static final RedisServer REDIS = RedisServer.start();

	@Autowired
	KvStores stores;

	@Autowired
	KvNamespace demoCache;

	@Autowired
	@Qualifier("sessions")
	KvNamespace sessions;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", REDIS::host);
		registry.add("spring.data.redis.port", REDIS::port);
	}

	@AfterAll
	static void stopRedis() {
		REDIS.close();
	}

	@Test
	void yamlDeclaresStoresWithEmptyMapsNestedAndDottedKeysAndOnlyFromActiveDocuments() {
		assertThat(this.stores.names()).containsExactly("demo-cache", "dotted-store", "files", "null-store",
				"sessions");
		assertThat(this.demoCache.name()).isEqualTo("demo-cache");
		assertThat(((RedisKvNamespace) this.sessions).settings().defaultTtl()).isEqualTo(Duration.ofHours(24));
		assertThat(((RedisKvNamespace) this.demoCache).settings().minTtl()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void storesWorkEndToEnd() {
		// Under the default minimum TTL of 60 s (the store's is 1 s), yet long enough to
		// be there when read on a slow machine.
		this.demoCache.put("k", "v", KvPutOptions.builder().metadata(Map.of("a", 1)).expirationTtl(59).build());
		assertThat(this.stores.get("demo-cache").getWithMetadata("k").metadata().get("a").intValue()).isEqualTo(1);
		assertThat(REDIS.raw().pttl("kv:demo-cache:k")).isBetween(1L, 59_000L);
		this.sessions.put("s", "v");
		assertThat(REDIS.raw().pttl("kv:sessions:s")).isGreaterThan(Duration.ofHours(23).toMillis());
	}

	@Test
	void storesCanBeDeclaredOnTheCommandLineInEnvironmentVariablesAndInSpringApplicationJson() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("KV_STORES_ENVSTORE", "", "KV_STORES_ENVSTORE_DEFAULTTTL", "2h")));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).environment(environment)
			.run("--spring.main.web-application-type=none", "--spring.config.name=none",
					"--spring.data.redis.port=" + REDIS.port(), "--kv.stores.cli-store=",
					"--spring.application.json={\"kv\":{\"stores\":{\"json-store\":{},\"json-ttl\":{\"default-ttl\":\"1h\"}}}}")) {
			KvStores stores = context.getBean(KvStores.class);
			assertThat(stores.names()).containsExactly("cli-store", "envstore", "json-store", "json-ttl");
			assertThat(((RedisKvNamespace) stores.get("envstore")).settings().defaultTtl())
				.isEqualTo(Duration.ofHours(2));
			assertThat(((RedisKvNamespace) stores.get("json-ttl")).settings().defaultTtl())
				.isEqualTo(Duration.ofHours(1));
			stores.get("cli-store").put("k", "v");
			assertThat(stores.get("cli-store").get("k")).isEqualTo("v");
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
