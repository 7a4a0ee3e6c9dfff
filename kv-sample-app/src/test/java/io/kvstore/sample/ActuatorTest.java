package io.kvstore.sample;

import java.time.Duration;

import io.kvstore.test.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's view over real HTTP: kv metrics after a few calls, the kv endpoint
 * (stores, keys, delete), and health that goes down when Redis stops and up when it is
 * back.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.redis.auto-start=false", "sample.cleanup.enabled=false",
				"spring.data.redis.timeout=500ms", "spring.data.redis.connect-timeout=500ms" })
@DirtiesContext
class ActuatorTest {

	static final RedisServer REDIS = SampleTests.start();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", REDIS::host);
		registry.add("spring.data.redis.port", REDIS::port);
	}

	@BeforeEach
	void redisReachable() {
		SampleTests.awaitRedisReachable(new TestHttp(this.port));
	}

	@Test
	void metricsShowStoreOperationsAndValueSizes() {
		TestHttp http = new TestHttp(this.port);
		assertThat(http.put("/kv/demo-cache/values/k", "0123456789").status()).isEqualTo(204);
		assertThat(http.get("/kv/demo-cache/values/k").status()).isEqualTo(200);
		assertThat(http.get("/kv/demo-cache/values/missing").status()).isEqualTo(404);
		JsonNode operations = http
			.get("/actuator/metrics/kv.operations?tag=store:demo-cache&tag=operation:getWithMetadata&tag=result:hit")
			.json();
		assertThat(count(operations)).isGreaterThanOrEqualTo(1);
		JsonNode misses = http.get("/actuator/metrics/kv.operations?tag=store:demo-cache&tag=result:miss").json();
		assertThat(count(misses)).isGreaterThanOrEqualTo(1);
		JsonNode tags = http.get("/actuator/metrics/kv.operations").json().get("availableTags");
		assertThat(tags.toString()).contains("\"store\"", "\"operation\"", "\"outcome\"", "\"result\"");
		JsonNode sizes = http.get("/actuator/metrics/kv.value.size?tag=store:demo-cache&tag=operation:put").json();
		assertThat(statistic(sizes, "TOTAL")).isEqualTo(10.0);
	}

	@Test
	void theKvEndpointListsStoresAndKeysAndDeletesAKey() {
		TestHttp http = new TestHttp(this.port);
		http.put("/kv/sessions/values/session:a?metadata=%7B%22u%22%3A1%7D", "secret");
		http.put("/kv/sessions/values/session:b", "secret");
		JsonNode stores = http.get("/actuator/kv").json().get("stores");
		assertThat(stores.get("files").get("maxValueSize").longValue()).isEqualTo(100L * 1024 * 1024);
		assertThat(stores.get("sessions").get("keyPrefix").stringValue()).isEqualTo("kv:sessions:");
		TestHttp.Response page = http.get("/actuator/kv/sessions?prefix=session:&limit=1");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.json().get("keys")).hasSize(1);
		assertThat(page.json().get("list_complete").booleanValue()).isFalse();
		assertThat(page.body()).doesNotContain("secret");
		assertThat(http.get("/actuator/kv/sessions?limit=0").status()).isEqualTo(400);
		assertThat(http.get("/actuator/kv/nope").status()).isEqualTo(404);
		assertThat(http.delete("/actuator/kv/sessions/session:a").status()).isEqualTo(204);
		assertThat(http.get("/kv/sessions/values/session:a").status()).isEqualTo(404);
		assertThat(http.get("/kv/sessions/values/session:b").status()).isEqualTo(200);
	}

	@Test
	void healthIsUpWithRedisAndDownWithoutIt() {
		TestHttp http = new TestHttp(this.port);
		TestHttp.Response up = http.get("/actuator/health/kv");
		assertThat(up.status()).isEqualTo(200);
		assertThat(up.json().get("status").stringValue()).isEqualTo("UP");
		assertThat(up.json().get("components").get("sessions").get("status").stringValue()).isEqualTo("UP");
		REDIS.stop();
		try {
			TestHttp.Response down = http.get("/actuator/health/kv");
			assertThat(down.status()).isEqualTo(503);
			assertThat(down.json().get("status").stringValue()).isEqualTo("DOWN");
		}
		finally {
			REDIS.restart();
		}
		SampleTests.await("kv health is up again", Duration.ofSeconds(30),
				() -> http.get("/actuator/health/kv").status() == 200);
	}

	private static double count(JsonNode metric) {
		return statistic(metric, "COUNT");
	}

	private static double statistic(JsonNode metric, String name) {
		for (JsonNode measurement : metric.get("measurements")) {
			if (measurement.get("statistic").stringValue().equals(name)) {
				return measurement.get("value").doubleValue();
			}
		}
		throw new AssertionError("No " + name + " in " + metric);
	}

}
