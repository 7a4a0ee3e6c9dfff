package io.kvstore.sample;

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
 * An upload over the store's value size limit (lowered to 4 KB here, 100 MB in the app)
 * is refused with 400 naming the field, and the previous file stays.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.redis.auto-start=false", "sample.cleanup.enabled=false",
				"kv.stores.files.max-value-size=4KB" })
@DirtiesContext
class FileLimitTest {

	static final RedisServer REDIS = SampleTests.start();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", REDIS::host);
		registry.add("spring.data.redis.port", REDIS::port);
	}

	@Test
	void anUploadOverTheLimitIs400AndKeepsThePreviousFile() {
		TestHttp http = new TestHttp(this.port);
		assertThat(http.put("/files/report.txt", "first version", "Content-Type", "text/plain").status())
			.isEqualTo(201);
		JsonNode problem = http.put("/files/report.txt", new byte[4097], "Content-Type", "application/octet-stream")
			.assertProblem(400, "value");
		assertThat(problem.get("detail").stringValue()).contains("at most 4096 bytes");
		assertThat(http.get("/files/report.txt").body()).isEqualTo("first version");
	}

}
