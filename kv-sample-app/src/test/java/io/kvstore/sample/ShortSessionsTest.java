package io.kvstore.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.kvstore.KvKey;
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
import static org.awaitility.Awaitility.await;

/**
 * Sessions that live two seconds ({@code sample.session-ttl}) and the scheduled cleanup
 * running every 200 ms ({@code sample.cleanup.interval}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.redis.auto-start=false", "kv.min-ttl=1s", "sample.session-ttl=2s",
				"sample.cleanup.enabled=true", "sample.cleanup.interval=200ms" })
@DirtiesContext
class ShortSessionsTest {

	/** {@code sample.session-ttl} above. */
	static final Duration SESSION_TTL = Duration.ofSeconds(2);

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
		String id = loginAndCheckTheSessionWithinItsTtl();
		await("the session ended").atMost(Duration.ofSeconds(15))
			.until(() -> this.http.get("/me", "X-Session-Id", id).status() == 401);
		await("the session is gone from Redis").atMost(Duration.ofSeconds(15))
			.until(() -> this.sessions.get(Session.key(id)) == null);
	}

	/**
	 * Logs in and checks at once that the session works and is listed with its
	 * expiration. The session ends two seconds after its login time, which the app
	 * truncates to the second, and its entry expires two seconds after the put. Checks
	 * that end before the earliest of these (by this machine's clock, which the app and
	 * Redis share) must hold; a slower round may have come after the session's end and
	 * proves nothing, so it is tried again with a new login.
	 */
	private String loginAndCheckTheSessionWithinItsTtl() {
		AtomicReference<String> session = new AtomicReference<>();
		await("a login and its checks within the session's " + SESSION_TTL).atMost(Duration.ofSeconds(60))
			.pollDelay(Duration.ZERO)
			.until(() -> {
				long start = System.currentTimeMillis();
				String id = this.http.post("/login", "{\"userId\":\"42\"}").json().get("sessionId").stringValue();
				List<KvKey> keys = this.sessions.list(KvListOptions.prefix(Session.key(id))).keys();
				int me = this.http.get("/me", "X-Session-Id", id).status();
				long end = System.currentTimeMillis();
				if (end >= (start / 1000) * 1000 + SESSION_TTL.toMillis()) {
					return false;
				}
				assertThat(keys).as("the session's entry").hasSize(1);
				assertThat(keys.get(0).expiration()).isBetween((start + SESSION_TTL.toMillis()) / 1000,
						(end + SESSION_TTL.toMillis()) / 1000);
				assertThat(me).as("GET /me with the session").isEqualTo(200);
				session.set(id);
				return true;
			});
		return session.get();
	}

	@Test
	void theScheduledCleanupRemovesSessionsThatEnded() {
		String id = UUID.randomUUID().toString();
		Instant ended = Instant.now().minusSeconds(1);
		this.sessions.putJson(Session.key(id), new Session("7", ended.minusSeconds(60), ended),
				KvPutOptions.builder().metadata(Map.of("userId", "7", "expiresAt", ended.getEpochSecond())).build());
		this.sessions.put("session:no-end", "kept");
		await("the cleanup job removed the session").atMost(Duration.ofSeconds(15))
			.until(() -> this.sessions.get(Session.key(id)) == null);
		assertThat(this.sessions.get("session:no-end")).isEqualTo("kept");
	}

}
