package io.kvstore.sample;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.kvstore.KvKey;
import io.kvstore.KvListOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.sample.TestHttp.Response;
import io.kvstore.sample.session.Session;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /login}, {@code GET /me} and {@code POST /logout}.
 */
class SessionTest extends SampleAppTestSupport {

	@Autowired
	KvNamespace sessions;

	@Test
	void loginStoresTheSessionAsJsonForTwentyFourHoursAndReturnsItsId() {
		long before = Instant.now().getEpochSecond();
		Response response = this.http.post("/login", "{\"userId\":\"42\"}");
		long after = Instant.now().getEpochSecond();
		assertThat(response.status()).isEqualTo(200);
		JsonNode body = response.json();
		String id = body.get("sessionId").stringValue();
		assertThat(UUID.fromString(id).toString()).isEqualTo(id);
		assertThat(body.get("userId").stringValue()).isEqualTo("42");
		assertThat(Instant.parse(body.get("expiresAt").stringValue()).getEpochSecond()).isBetween(before + 86400,
				after + 86400);

		JsonNode stored = this.sessions.get("session:" + id, KvType.JSON);
		assertThat(stored.get("userId").stringValue()).isEqualTo("42");
		assertThat(stored.get("expiresAt").stringValue()).isEqualTo(body.get("expiresAt").stringValue());
		KvKey key = this.sessions.list(KvListOptions.prefix("session:" + id)).keys().get(0);
		// The session's end and the entry's expiration: both a day after the login.
		assertThat(key.expiration()).isBetween(before + 86400, after + 86400);
		assertThat(key.metadata().get("userId").stringValue()).isEqualTo("42");
		assertThat(key.metadata().get("expiresAt").longValue()).isBetween(before + 86400, after + 86400);
	}

	@Test
	void meWelcomesTheUserOfTheSession() {
		String id = login("42");
		Response me = this.http.get("/me", "X-Session-Id", id);
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.contentType()).startsWith("text/plain");
		assertThat(me.body()).isEqualTo("Welcome user 42");
	}

	@Test
	void meWithoutASessionIdIs401() {
		JsonNode problem = this.http.get("/me").assertProblem(401, null);
		assertThat(problem.get("detail").stringValue()).isEqualTo("Session not found");
	}

	@Test
	void meWithAnUnknownOrMalformedSessionIdIs401() {
		this.http.get("/me", "X-Session-Id", UUID.randomUUID().toString()).assertProblem(401, null);
		this.http.get("/me", "X-Session-Id", "not-a-session-id").assertProblem(401, null);
	}

	@Test
	void meWithASessionPastItsEndIs401EvenBeforeItIsRemoved() {
		String id = UUID.randomUUID().toString();
		Instant ended = Instant.now().minusSeconds(60);
		this.sessions.putJson(Session.key(id), new Session("7", ended.minusSeconds(3600), ended),
				KvPutOptions.builder().metadata(Map.of("userId", "7", "expiresAt", ended.getEpochSecond())).build());
		JsonNode problem = this.http.get("/me", "X-Session-Id", id).assertProblem(401, null);
		assertThat(problem.get("detail").stringValue()).isEqualTo("Session not found");
	}

	@Test
	void logoutDeletesTheSession() {
		String id = login("42");
		assertThat(this.http.post("/logout").status()).isEqualTo(204);
		assertThat(this.http.get("/me", "X-Session-Id", id).status()).isEqualTo(200);
		Response logout = this.http.send(this.http.request("/logout", "X-Session-Id", id)
			.POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
		assertThat(logout.status()).isEqualTo(204);
		assertThat(this.sessions.get("session:" + id)).isNull();
		this.http.get("/me", "X-Session-Id", id).assertProblem(401, null);
	}

	@Test
	void loginWithABlankUserIdIs400NamingUserId() {
		JsonNode problem = this.http.post("/login", "{\"userId\":\" \"}").assertProblem(400, "userId");
		assertThat(problem.get("detail").stringValue()).isEqualTo("'userId' must not be blank");
		this.http.post("/login", "{}").assertProblem(400, "userId");
	}

	@Test
	void loginWithABodyThatIsNotJsonIs400() {
		this.http.post("/login", "{\"userId\":").assertProblem(400, null);
	}

	private String login(String userId) {
		Response response = this.http.post("/login", "{\"userId\":\"" + userId + "\"}");
		assertThat(response.status()).isEqualTo(200);
		return response.json().get("sessionId").stringValue();
	}

}
