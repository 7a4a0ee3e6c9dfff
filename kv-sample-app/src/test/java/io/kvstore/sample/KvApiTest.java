package io.kvstore.sample;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.kvstore.sample.TestHttp.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API over the declared stores: {@code /kv/{store}/values/{key}} and
 * {@code /kv/{store}/keys}.
 */
class KvApiTest extends SampleAppTestSupport {

	@Autowired
	KvNamespace demoCache;

	@Test
	void storesAreListed() {
		Response response = this.http.get("/kv");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"stores\":[\"demo-cache\",\"files\",\"sessions\",\"user-cache\"]}");
	}

	@Test
	void putThenGetText() {
		// curl --data-binary sends Content-Type application/x-www-form-urlencoded: still
		// the value
		Response put = this.http.put("/kv/demo-cache/values/greeting", "hello, world", "Content-Type",
				"application/x-www-form-urlencoded");
		assertThat(put.status()).isEqualTo(204);
		assertThat(this.demoCache.get("greeting")).isEqualTo("hello, world");

		Response get = this.http.get("/kv/demo-cache/values/greeting");
		assertThat(get.status()).isEqualTo(200);
		assertThat(get.contentType()).isEqualTo("text/plain;charset=UTF-8");
		assertThat(get.body()).isEqualTo("hello, world");
		assertThat(get.header("X-KV-Metadata")).isNull();
	}

	@Test
	void putThenGetJson() {
		assertThat(
				this.http.put("/kv/demo-cache/values/config?type=json", "{ \"debug\": true, \"level\": 3 }").status())
			.isEqualTo(204);
		assertThat(this.demoCache.get("config")).isEqualTo("{\"debug\":true,\"level\":3}");
		Response get = this.http.get("/kv/demo-cache/values/config?type=json");
		assertThat(get.status()).isEqualTo(200);
		assertThat(get.contentType()).isEqualTo("application/json");
		assertThat(get.body()).isEqualTo("{\"debug\":true,\"level\":3}");
	}

	@Test
	void putThenGetBytes() {
		byte[] bytes = { 0, 1, 2, (byte) 0xFF, (byte) 0xC3 };
		assertThat(this.http.put("/kv/demo-cache/values/blob?type=bytes", bytes).status()).isEqualTo(204);
		Response get = this.http.get("/kv/demo-cache/values/blob?type=bytes");
		assertThat(get.status()).isEqualTo(200);
		assertThat(get.contentType()).isEqualTo("application/octet-stream");
		assertThat(get.bytes()).isEqualTo(bytes);
	}

	@Test
	void metadataGoesInAsHeaderOrParameterAndComesBackAsHeader() {
		this.http.put("/kv/demo-cache/values/a", "1", "X-KV-Metadata", "{\"lang\": \"en\"}");
		assertThat(this.demoCache.getWithMetadata("a").metadata().toString()).isEqualTo("{\"lang\":\"en\"}");
		assertThat(this.http.get("/kv/demo-cache/values/a").header("X-KV-Metadata")).isEqualTo("{\"lang\":\"en\"}");

		this.http.put("/kv/demo-cache/values/b?metadata=" + encode("{\"city\":\"Zürich\"}"), "2");
		assertThat(this.demoCache.getWithMetadata("b").metadata().get("city").stringValue()).isEqualTo("Zürich");
		assertThat(this.http.get("/kv/demo-cache/values/b").header("X-KV-Metadata"))
			.isEqualTo("{\"city\":\"Z\\u00FCrich\"}");
	}

	@Test
	void expirationTtlAndExpirationSetTheKeysExpiration() {
		long now = Instant.now().getEpochSecond();
		assertThat(this.http.put("/kv/demo-cache/values/ttl?expiration_ttl=3600", "x").status()).isEqualTo(204);
		long after = Instant.now().getEpochSecond();
		assertThat(this.http.put("/kv/demo-cache/values/at?expiration=" + (now + 7200), "x").status()).isEqualTo(204);
		JsonNode keys = this.http.get("/kv/demo-cache/keys").json().get("keys");
		assertThat(keys.get(0).get("name").stringValue()).isEqualTo("at");
		assertThat(keys.get(0).get("expiration").longValue()).isEqualTo(now + 7200);
		assertThat(keys.get(1).get("name").stringValue()).isEqualTo("ttl");
		assertThat(keys.get(1).get("expiration").longValue()).isBetween(now + 3600, after + 3600);
	}

	@Test
	void expiredKeysAreGone() {
		// Accepted; whether it can still be read at once is up to the machine's speed.
		assertThat(this.http.put("/kv/demo-cache/values/short?expiration_ttl=1", "x").status()).isEqualTo(204);
		SampleTests.await("the key expired", java.time.Duration.ofSeconds(10),
				() -> this.http.get("/kv/demo-cache/values/short").status() == 404);
	}

	@Test
	void deleteRemovesTheKeyAndIsIdempotent() {
		this.demoCache.put("doomed", "x");
		assertThat(this.http.delete("/kv/demo-cache/values/doomed").status()).isEqualTo(204);
		assertThat(this.demoCache.get("doomed")).isNull();
		assertThat(this.http.delete("/kv/demo-cache/values/doomed").status()).isEqualTo(204);
	}

	@Test
	void keysWithSlashesAndUnicodeWork() {
		String key = "users/zoë/日本";
		String path = "/kv/demo-cache/values/users/" + encode("zoë") + "/" + encode("日本");
		assertThat(this.http.put(path, "unicode").status()).isEqualTo(204);
		assertThat(this.demoCache.get(key)).isEqualTo("unicode");
		assertThat(this.http.get(path).body()).isEqualTo("unicode");
		JsonNode keys = this.http.get("/kv/demo-cache/keys?prefix=" + encode("users/")).json();
		assertThat(keys.get("keys").get(0).get("name").stringValue()).isEqualTo(key);
		assertThat(this.http.delete(path).status()).isEqualTo(204);
		assertThat(this.demoCache.get(key)).isNull();
	}

	@Test
	void keysListsByPrefixWithExpirationAndMetadata() {
		this.demoCache.put("user:1", "a", KvPutOptions.builder().metadata(Map.of("n", 1)).build());
		this.demoCache.put("user:2", "b");
		this.demoCache.put("other", "c");
		Response response = this.http.get("/kv/demo-cache/keys?prefix=user:");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).isEqualTo("application/json");
		assertThat(response.body()).isEqualTo(
				"{\"keys\":[{\"name\":\"user:1\",\"metadata\":{\"n\":1}},{\"name\":\"user:2\"}],\"list_complete\":true}");
	}

	@Test
	void aBatchGetAnswersEveryKeyInRequestOrderWithValueAndMetadata() {
		this.demoCache.put("b", "B", io.kvstore.KvPutOptions.builder().metadata(java.util.Map.of("n", 2)).build());
		this.demoCache.putJson("j", java.util.Map.of("x", 1));
		Response response = this.http.post("/kv/demo-cache/values/_batch-get", "[\"b\",\"missing\",\"b\",\"j\"]");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(
				"{\"b\":{\"value\":\"B\",\"metadata\":{\"n\":2}},\"missing\":null,\"j\":{\"value\":\"{\\\"x\\\":1}\"}}");
		assertThat(this.http.post("/kv/demo-cache/values/_batch-get?type=json", "[\"j\"]").body())
			.isEqualTo("{\"j\":{\"value\":{\"x\":1}}}");
		this.http.post("/kv/demo-cache/values/_batch-get", "{\"a\":1}").assertProblem(400, null);
		this.http.post("/kv/demo-cache/values/_batch-get", "[\"\"]").assertProblem(400, null);
		this.http.post("/kv/nope/values/_batch-get", "[\"a\"]").assertProblem(404, null);
	}

	@Test
	void deletingTheValuesOfAStoreClearsItAndSaysHowMany() {
		this.demoCache.put("a", "1");
		this.demoCache.put("b", "2");
		Response response = this.http.delete("/kv/demo-cache/values");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"deleted\":2}");
		assertThat(this.demoCache.list().keys()).isEmpty();
	}

	@Test
	void keysPagesWithLimitAndCursor() {
		for (int i = 0; i < 5; i++) {
			this.demoCache.put("page:" + i, "x");
		}
		List<String> names = new ArrayList<>();
		String cursor = "";
		int pages = 0;
		JsonNode page;
		do {
			page = this.http.get("/kv/demo-cache/keys?prefix=page:&limit=2&cursor=" + encode(cursor)).json();
			page.get("keys").forEach((key) -> names.add(key.get("name").stringValue()));
			cursor = page.path("cursor").stringValue("");
			pages++;
		}
		while (!page.get("list_complete").booleanValue());
		assertThat(names).containsExactlyInAnyOrder("page:0", "page:1", "page:2", "page:3", "page:4");
		assertThat(pages).isEqualTo(3);
		assertThat(page.has("cursor")).isFalse();
	}

	@Test
	void aMissingKeyIs404() {
		JsonNode problem = this.http.get("/kv/demo-cache/values/nothing-here").assertProblem(404, null);
		assertThat(problem.get("detail").stringValue()).isEqualTo("No key 'nothing-here' in store 'demo-cache'");
	}

	@Test
	void anUnknownStoreIs404ForEveryEndpoint() {
		JsonNode problem = this.http.get("/kv/nope/values/k").assertProblem(404, null);
		assertThat(problem.get("detail").stringValue())
			.isEqualTo("No store named 'nope'; the declared stores are [demo-cache, files, sessions, user-cache]");
		this.http.put("/kv/nope/values/k", "x").assertProblem(404, null);
		this.http.delete("/kv/nope/values/k").assertProblem(404, null);
		this.http.get("/kv/nope/keys").assertProblem(404, null);
	}

	@Test
	void anUnknownTypeIs400NamingType() {
		this.http.get("/kv/demo-cache/values/k?type=xml").assertProblem(400, "type");
		this.http.put("/kv/demo-cache/values/k?type=xml", "x").assertProblem(400, "type");
	}

	@Test
	void putWithTypeJsonOfABodyThatIsNotJsonIs400NamingValue() {
		this.http.put("/kv/demo-cache/values/k?type=json", "{\"a\":").assertProblem(400, "value");
		this.http.put("/kv/demo-cache/values/k?type=json", "{} trailing").assertProblem(400, "value");
		this.http.put("/kv/demo-cache/values/k?type=json", "").assertProblem(400, "value");
		assertThat(this.demoCache.get("k")).isNull();
	}

	@Test
	void metadataThatIsNotJsonOrTooLargeIs400NamingMetadata() {
		this.http.put("/kv/demo-cache/values/k", "x", "X-KV-Metadata", "{bad").assertProblem(400, "metadata");
		this.http.put("/kv/demo-cache/values/k?metadata=" + encode("not json"), "x").assertProblem(400, "metadata");
		JsonNode problem = this.http
			.put("/kv/demo-cache/values/k", "x", "X-KV-Metadata", "\"" + "m".repeat(1100) + "\"")
			.assertProblem(400, "metadata");
		assertThat(problem.get("detail").stringValue()).startsWith("'metadata' must be at most 1024 bytes");
		assertThat(this.demoCache.get("k")).isNull();
	}

	@Test
	void expirationTtlBelowTheMinimumIs400NamingExpirationTtl() {
		// the tests lower the minimum TTL to 1 second: 0 is below it
		JsonNode problem = this.http.put("/kv/demo-cache/values/k?expiration_ttl=0", "x")
			.assertProblem(400, "expiration_ttl");
		assertThat(problem.get("detail").stringValue()).startsWith("'expirationTtl'");
	}

	@Test
	void expirationInThePastOrNotANumberIs400NamingExpiration() {
		this.http.put("/kv/demo-cache/values/k?expiration=1000", "x").assertProblem(400, "expiration");
		this.http.put("/kv/demo-cache/values/k?expiration=tomorrow", "x").assertProblem(400, "expiration");
		this.http.put("/kv/demo-cache/values/k?expiration_ttl=1h", "x").assertProblem(400, "expiration_ttl");
	}

	@Test
	void anEmptyKeyIs400NamingKey() {
		JsonNode problem = this.http.put("/kv/demo-cache/values/", "x").assertProblem(400, "key");
		assertThat(problem.get("detail").stringValue()).isEqualTo("'key' must not be empty");
		this.http.get("/kv/demo-cache/values/").assertProblem(400, "key");
	}

	@Test
	void aKeyOverTheSizeLimitIs400NamingKey() {
		this.http.get("/kv/demo-cache/values/" + "k".repeat(513)).assertProblem(400, "key");
	}

	@Test
	void aBadLimitIs400NamingLimit() {
		JsonNode problem = this.http.get("/kv/demo-cache/keys?limit=0").assertProblem(400, "limit");
		assertThat(problem.get("detail").stringValue()).isEqualTo("'limit' must be between 1 and 1000, was 0");
		this.http.get("/kv/demo-cache/keys?limit=1001").assertProblem(400, "limit");
		this.http.get("/kv/demo-cache/keys?limit=many").assertProblem(400, "limit");
	}

	@Test
	void aForeignOrTamperedCursorIs400NamingCursor() {
		this.demoCache.put("c:1", "x");
		this.demoCache.put("c:2", "x");
		String cursor = this.http.get("/kv/demo-cache/keys?prefix=c:&limit=1").json().get("cursor").stringValue();
		this.http.get("/kv/demo-cache/keys?prefix=other:&cursor=" + encode(cursor)).assertProblem(400, "cursor");
		this.http.get("/kv/sessions/keys?prefix=c:&cursor=" + encode(cursor)).assertProblem(400, "cursor");
		this.http.get("/kv/demo-cache/keys?cursor=garbage").assertProblem(400, "cursor");
	}

	@Test
	void readingAValueThatIsNotJsonAsJsonIs422NamingTheKey() {
		this.demoCache.put("plain", "not json");
		JsonNode problem = this.http.get("/kv/demo-cache/values/plain?type=json").assertProblem(422, null);
		assertThat(problem.get("key").stringValue()).isEqualTo("plain");
		KvValue<String> unchanged = this.demoCache.getWithMetadata("plain", KvType.TEXT);
		assertThat(unchanged.value()).isEqualTo("not json");
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
