package io.kvstore.sample;

import java.time.Duration;

import io.kvstore.test.RedisServer;
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
 * With Redis stopped, calls that need it answer 503 within the command timeout; once
 * Redis is back, they work again.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.redis.auto-start=false", "sample.cleanup.enabled=false",
				"spring.data.redis.timeout=500ms", "spring.data.redis.connect-timeout=500ms" })
@DirtiesContext
class RedisUnavailableTest {

	static final RedisServer REDIS = SampleTests.start();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", REDIS::host);
		registry.add("spring.data.redis.port", REDIS::port);
	}

	@Test
	void callsAnswer503WhileRedisIsDownAndWorkAgainWhenItIsBack() {
		TestHttp http = new TestHttp(this.port);
		SampleTests.awaitRedisReachable(http);
		assertThat(http.put("/kv/demo-cache/values/k", "v").status()).isEqualTo(204);
		REDIS.stop();
		try {
			JsonNode problem = http.get("/kv/demo-cache/values/k").assertProblem(503, null);
			assertThat(problem.get("detail").stringValue()).startsWith("Redis is unreachable or failing");
			http.post("/login", "{\"userId\":\"42\"}").assertProblem(503, null);
			http.get("/users/1").assertProblem(503, null);
			http.get("/kv/demo-cache/keys").assertProblem(503, null);
		}
		finally {
			REDIS.restart();
		}
		SampleTests.await("Redis answers again", Duration.ofSeconds(30),
				() -> http.put("/kv/demo-cache/values/k", "again").status() == 204);
		assertThat(http.get("/kv/demo-cache/values/k").body()).isEqualTo("again");
	}

}
