package io.kvstore.sample;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.sample.TestHttp.Response;
import io.kvstore.sample.session.Session;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /admin/cleanup}: pages through the sessions (two keys a page here) and
 * deletes those that ended.
 */
class CleanupTest extends SampleAppTestSupport {

	@Autowired
	KvNamespace sessions;

	@Test
	void cleanupPagesThroughAllSessionsAndRemovesOnlyThoseThatEnded() {
		String live1 = login("1");
		String live2 = login("2");
		String ended1 = endedSession("3");
		String ended2 = endedSession("4");
		this.sessions.put("session:legacy", "no metadata, no end");
		this.sessions.put("other:not-a-session", "x", KvPutOptions.builder().metadata(Map.of("expiresAt", 1)).build());

		Response response = this.http.post("/admin/cleanup");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"seen\":5,\"removed\":2}");

		assertThat(this.sessions.get(Session.key(ended1))).isNull();
		assertThat(this.sessions.get(Session.key(ended2))).isNull();
		assertThat(this.sessions.get("session:legacy")).isNotNull();
		assertThat(this.sessions.get("other:not-a-session")).isNotNull();
		assertThat(this.http.get("/me", "X-Session-Id", live1).body()).isEqualTo("Welcome user 1");
		assertThat(this.http.get("/me", "X-Session-Id", live2).body()).isEqualTo("Welcome user 2");

		assertThat(this.http.post("/admin/cleanup").json().get("seen").intValue()).isEqualTo(3);
	}

	@Test
	void cleanupOfNoSessionsReportsZero() {
		assertThat(this.http.post("/admin/cleanup").body()).isEqualTo("{\"seen\":0,\"removed\":0}");
	}

	private String login(String userId) {
		return this.http.post("/login", "{\"userId\":\"" + userId + "\"}").json().get("sessionId").stringValue();
	}

	// A session whose own end passed while its entry lives on (written with no
	// expiration).
	private String endedSession(String userId) {
		String id = UUID.randomUUID().toString();
		Instant ended = Instant.now().minusSeconds(1);
		this.sessions.putJson(Session.key(id), new Session(userId, ended.minusSeconds(60), ended),
				KvPutOptions.builder().metadata(Map.of("userId", userId, "expiresAt", ended.getEpochSecond())).build());
		return id;
	}

}
