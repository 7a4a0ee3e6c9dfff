package io.kvstore.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.kvstore.KvListOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.sample.session.Session;
import io.kvstore.test.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions that live two seconds ({@code sample.session-ttl}) and the scheduled cleanup
 * running every 200 ms ({@code sample.cleanup.interval}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.redis.auto-start=false", "kv.min-ttl=1s", "sample.session-ttl=2s",
				"sample.cleanup.enabled=true", "sample.cleanup.interval=200ms" })
@DirtiesContext
class ShortSessionsTest {

	static final RedisServer REDIS = SampleTests.start();

	@LocalServerPort
	int port;

	@Autowired
	KvNamespace sessions;

	TestHttp http;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", REDIS::host);
		registry.add("spring.data.redis.port", REDIS::port);
	}

	@BeforeEach
	void client() {
		this.http = new TestHttp(this.port);
	}

	@Test
	void aSessionExpiresAfterTheSessionTtl() {
		long before = Instant.now().getEpochSecond();
		String id = this.http.post("/login", "{\"userId\":\"42\"}").json().get("sessionId").stringValue();
		var keys = this.sessions.list(KvListOptions.prefix(Session.key(id))).keys();
		if (!keys.isEmpty()) { // on a very slow machine it may be gone already
			assertThat(keys.get(0).expiration()).isBetween(before + 1, before + 3);
		}
		SampleTests.await("the session ended", Duration.ofSeconds(15),
				() -> this.http.get("/me", "X-Session-Id", id).status() == 401);
		SampleTests.await("the session is gone from Redis", Duration.ofSeconds(15),
				() -> this.sessions.get(Session.key(id)) == null);
	}

	@Test
	void theScheduledCleanupRemovesSessionsThatEnded() {
		String id = UUID.randomUUID().toString();
		Instant ended = Instant.now().minusSeconds(1);
		this.sessions.putJson(Session.key(id), new Session("7", ended.minusSeconds(60), ended),
				KvPutOptions.builder().metadata(Map.of("userId", "7", "expiresAt", ended.getEpochSecond())).build());
		this.sessions.put("session:no-end", "kept");
		SampleTests.await("the cleanup job removed the session", Duration.ofSeconds(15),
				() -> this.sessions.get(Session.key(id)) == null);
		assertThat(this.sessions.get("session:no-end")).isEqualTo("kept");
	}

}
