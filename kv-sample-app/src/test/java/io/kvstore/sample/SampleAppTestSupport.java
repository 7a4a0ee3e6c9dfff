package io.kvstore.sample;

import io.kvstore.test.RedisServer;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app on a random port against a real Redis, shared by the end-to-end test classes
 * (one application context, one Redis, emptied before each test). The scheduled cleanup
 * is off and lists two keys a page, so paging is exercised with a handful of sessions.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "sample.redis.auto-start=false",
		"sample.cleanup.enabled=false", "sample.cleanup.page-size=2", "kv.min-ttl=1s" })
abstract class SampleAppTestSupport {

	static final RedisServer REDIS = SampleTests.start();

	@LocalServerPort
	int port;

	TestHttp http;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", REDIS::host);
		registry.add("spring.data.redis.port", REDIS::port);
	}

	@BeforeEach
	void emptyRedis() {
		REDIS.flushAll();
		this.http = new TestHttp(this.port);
	}

}
