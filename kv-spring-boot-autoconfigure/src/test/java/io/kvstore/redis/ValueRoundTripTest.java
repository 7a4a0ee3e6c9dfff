package io.kvstore.redis;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.kvstore.KvNamespace;
import io.kvstore.KvSerializationException;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every value type written and read back, small, empty, binary and larger than one chunk.
 */
@OnEveryTopology
class ValueRoundTripTest extends AbstractKvTest {

	record User(String name, int age) {
	}

	@Test
	void textRoundTripsAsUtf8() {
		KvNamespace store = store("demo");
		String text = "Grüße, 世界 😀 \u0000 end";
		store.put("k", text);
		assertThat(store.get("k")).isEqualTo(text);
		assertThat(store.get("k", KvType.BYTES)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void emptyValuesAreAllowed() throws Exception {
		KvNamespace store = store("demo");
		store.put("text", "");
		store.put("bytes", new byte[0]);
		store.put("stream", InputStream.nullInputStream());
		for (String key : List.of("text", "bytes", "stream")) {
			assertThat(store.get(key)).isEmpty();
			assertThat(store.get(key, KvType.BYTES)).isEmpty();
			try (InputStream in = store.get(key, KvType.STREAM)) {
				assertThat(in.readAllBytes()).isEmpty();
			}
		}
	}

	@Test
	void bytesRoundTripEveryByteValue() {
		KvNamespace store = store("demo");
		byte[] all = new byte[256];
		for (int i = 0; i < all.length; i++) {
			all[i] = (byte) i;
		}
		store.put("all", all);
		assertThat(store.get("all", KvType.BYTES)).isEqualTo(all);
	}

	@ParameterizedTest(name = "{0} bytes")
	@ValueSource(ints = { 1, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 5 })
	void valuesRoundTripThroughEveryWriteAndReadPath(int size) throws Exception {
		KvNamespace store = store("demo");
		byte[] value = random(size, size);
		store.put("bytes", value);
		store.put("stream", new ByteArrayInputStream(value));
		for (String key : List.of("bytes", "stream")) {
			assertThat(store.get(key, KvType.BYTES)).isEqualTo(value);
			try (InputStream in = store.get(key, KvType.STREAM)) {
				assertThat(in.readAllBytes()).isEqualTo(value);
			}
			KvValue<byte[]> withMetadata = store.getWithMetadata(key, KvType.BYTES);
			assertThat(withMetadata.value()).isEqualTo(value);
			assertThat(withMetadata.metadata()).isNull();
			assertThat(withMetadata.cacheStatus()).isNull();
		}
	}

	@Test
	void largeTextAndJsonRoundTrip() {
		KvNamespace store = store("demo");
		String text = "ä".repeat(1024 * 1024);
		store.put("text", text);
		assertThat(store.get("text")).isEqualTo(text);
		List<String> list = java.util.Collections.nCopies(200_000, "value");
		store.putJson("json", list);
		assertThat(store.get("json", new TypeReferenceHolder().type)).isEqualTo(list);
	}

	static final class TypeReferenceHolder {

		final KvType<List<String>> type = KvType.json(new TypeReference<List<String>>() {
		});

	}

	@Test
	void jsonReadsAsTreeAsClassAndAsGenericType() {
		KvNamespace store = store("demo");
		store.putJson("user", new User("ada", 36));
		store.putJson("users", List.of(new User("ada", 36), new User("alan", 41)));
		JsonNode tree = store.get("user", KvType.JSON);
		assertThat(tree.get("name").stringValue()).isEqualTo("ada");
		assertThat(store.get("user", KvType.json(User.class))).isEqualTo(new User("ada", 36));
		assertThat(store.get("users", KvType.json(new TypeReference<List<User>>() {
		}))).containsExactly(new User("ada", 36), new User("alan", 41));
		assertThat(store.get("user")).isEqualTo("{\"name\":\"ada\",\"age\":36}");
	}

	@Test
	void storedJsonNullReadsAsNullNodeOrNull() {
		KvNamespace store = store("demo");
		store.put("nothing", "null");
		assertThat(store.get("nothing", KvType.JSON)).isEqualTo(NullNode.getInstance());
		assertThat(store.get("nothing", KvType.json(User.class))).isNull();
		KvValue<User> value = store.getWithMetadata("nothing", KvType.json(User.class));
		assertThat(value.value()).isNull();
		store.putJson("node", NullNode.getInstance());
		assertThat(store.get("node")).isEqualTo("null");
	}

	@ParameterizedTest(name = "''{0}''")
	@ValueSource(strings = { "", "not json", "{\"a\":", "{} trailing", "[1,2" })
	void jsonOnInvalidJsonThrowsNamingTheKey(String stored) {
		KvNamespace store = store("demo");
		store.put("broken", stored);
		assertThatExceptionOfType(KvSerializationException.class).isThrownBy(() -> store.get("broken", KvType.JSON))
			.withMessageContaining("'broken'")
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("broken"));
		assertThatExceptionOfType(KvSerializationException.class)
			.isThrownBy(() -> store.get("broken", KvType.json(User.class)))
			.withMessageContaining("'broken'");
	}

	@Test
	void jsonThatDoesNotFitTheClassThrows() {
		KvNamespace store = store("demo");
		store.put("user", "{\"name\":\"ada\",\"age\":\"old\"}");
		assertThatExceptionOfType(KvSerializationException.class)
			.isThrownBy(() -> store.get("user", KvType.json(User.class)))
			.withMessageContaining("'user'");
	}

	@Test
	void missingKeysReadAsNullWithEveryType() {
		KvNamespace store = store("demo");
		assertThat(store.get("missing")).isNull();
		for (KvType<?> type : List.of(KvType.TEXT, KvType.JSON, KvType.BYTES, KvType.STREAM, KvType.json(User.class))) {
			assertThat(store.get("missing", type)).isNull();
			KvValue<?> value = store.getWithMetadata("missing", type);
			assertThat(value).isEqualTo(new KvValue<>(null, null, null));
		}
		assertThat(store.getWithMetadata("missing")).isEqualTo(new KvValue<>(null, null, null));
	}

	@Test
	void keysAreCaseSensitiveAndBinarySafe() {
		KvNamespace store = store("demo");
		List<String> keys = List.of("Key", "key", "KEY", "a\u0000b", "a\u0000c", "*", "?", "[x]", "\\", "{tag}", "}{",
				"a b", "ключ", "😀", "\r\n", "%00", "...", ". ", "kv:other:x");
		for (String key : keys) {
			store.put(key, "value of " + key);
		}
		for (String key : keys) {
			assertThat(store.get(key)).isEqualTo("value of " + key);
		}
		assertThat(store.list().keys()).hasSize(keys.size());
	}

	@Test
	void deleteIsIdempotent() {
		KvNamespace store = store("demo");
		store.put("k", "v");
		store.delete("k");
		store.delete("k");
		store.delete("never-there");
		assertThat(store.get("k")).isNull();
		assertThat(snapshot()).isEmpty();
	}

	@Test
	void putJsonSerialisesMapsAndRecordsCompactly() {
		KvNamespace store = store("demo");
		store.putJson("map", Map.of("a", List.of(1, 2)));
		assertThat(store.get("map")).isEqualTo("{\"a\":[1,2]}");
	}

	static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

}
