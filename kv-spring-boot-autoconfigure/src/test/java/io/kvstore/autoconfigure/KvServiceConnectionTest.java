package io.kvstore.autoconfigure;

import io.kvstore.KvNamespace;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stores follow a Testcontainers {@code @ServiceConnection}. Runs where Docker is
 * available and is skipped (not failed) where it is not.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(classes = KvStarterApplicationTest.App.class,
		properties = { "spring.main.web-application-type=none", "kv.stores.tc-store=" })
class KvServiceConnectionTest {

	@Container
	@ServiceConnection(name = "redis")
	static final GenericContainer<?> REDIS = new GenericContainer<>("redis:7").withExposedPorts(6379);

	@Autowired
	KvNamespace store;

	@Test
	void storesUseTheServiceConnection() throws Exception {
		this.store.put("k", "v");
		assertThat(this.store.get("k")).isEqualTo("v");
		assertThat(REDIS.execInContainer("redis-cli", "hget", "kv:tc-store:k", "v").getStdout()).contains("v");
	}

}
