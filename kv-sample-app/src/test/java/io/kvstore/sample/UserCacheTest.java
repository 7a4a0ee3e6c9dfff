package io.kvstore.sample;

import java.time.Instant;

import io.kvstore.KvKey;
import io.kvstore.KvListOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvType;
import io.kvstore.sample.TestHttp.Response;
import io.kvstore.sample.users.User;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code GET /users/{id}}: a read-through cache in {@code demo-cache} in front of H2.
 */
class UserCacheTest extends SampleAppTestSupport {

	@Autowired
	KvNamespace demoCache;

	@Autowired
	KvNamespace userCache;

	@Test
	void theCacheableServiceReadsTheDatabaseOnceAndCachesTheUserAsJsonForItsStoresTtl() {
		this.userCache.clear();
		JsonNode first = this.http.get("/cached-users/2").json();
		JsonNode second = this.http.get("/cached-users/2").json();
		assertThat(second.get("user")).isEqualTo(first.get("user"));
		assertThat(second.get("databaseReads").longValue()).isEqualTo(first.get("databaseReads").longValue());
		assertThat(first.get("user").get("id").intValue()).isEqualTo(2);
		// The cached value is JSON that the store reads, with its type; it expires with
		// the store's default-ttl.
		JsonNode cached = this.userCache.get("2", KvType.JSON);
		assertThat(cached.get("email").stringValue()).isEqualTo(first.get("user").get("email").stringValue());
		KvKey key = this.userCache.list().keys().get(0);
		assertThat(key.expiration()).isCloseTo(Instant.now().plusSeconds(300).getEpochSecond(), within(5L));
		// An unknown user is 404 and is not cached.
		this.http.get("/cached-users/99").assertProblem(404, null);
		assertThat(this.userCache.get("99")).isNull();
	}

	@Test
	void firstReadComesFromTheDatabaseAndIsCachedAsJsonForFiveMinutes() {
		long before = Instant.now().getEpochSecond();
		Response first = this.http.get("/users/1");
		long after = Instant.now().getEpochSecond();
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json().get("source").stringValue()).isEqualTo("database");
		assertThat(first.json().get("user").toString())
			.isEqualTo("{\"id\":1,\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\"}");

		assertThat(this.demoCache.get("user:1", KvType.json(User.class)))
			.isEqualTo(new User(1, "Ada Lovelace", "ada@example.com"));
		KvKey cached = this.demoCache.list(KvListOptions.prefix("user:1")).keys().get(0);
		assertThat(cached.expiration()).isBetween(before + 300, after + 300);

		Response second = this.http.get("/users/1");
		assertThat(second.json().get("source").stringValue()).isEqualTo("cache");
		assertThat(second.json().get("user")).isEqualTo(first.json().get("user"));
	}

	@Test
	void aCachedUserIsServedFromTheCacheWithoutTheDatabase() {
		this.demoCache.putJson("user:2", new User(2, "Alan (cached)", "alan@example.com"));
		JsonNode body = this.http.get("/users/2").json();
		assertThat(body.get("source").stringValue()).isEqualTo("cache");
		assertThat(body.get("user").get("name").stringValue()).isEqualTo("Alan (cached)");
	}

	@Test
	void anUnreadableCacheEntryIsReplacedFromTheDatabase() {
		this.demoCache.put("user:3", "not json");
		JsonNode body = this.http.get("/users/3").json();
		assertThat(body.get("source").stringValue()).isEqualTo("database");
		assertThat(body.get("user").get("name").stringValue()).isEqualTo("Grace Hopper");
		assertThat(this.demoCache.get("user:3", KvType.json(User.class)).name()).isEqualTo("Grace Hopper");
	}

	@Test
	void anUnknownUserIs404AndIsNotCached() {
		JsonNode problem = this.http.get("/users/99").assertProblem(404, null);
		assertThat(problem.get("detail").stringValue()).isEqualTo("No user with id 99");
		assertThat(this.demoCache.get("user:99")).isNull();
	}

	@Test
	void anIdThatIsNotANumberIs400NamingId() {
		this.http.get("/users/abc").assertProblem(400, "id");
	}

}
