package io.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Redis layout of the design card: one hash per entry, blobs in the entry's slot,
 * expiration with PEXPIREAT, and one round trip per single-key operation up to 1 MiB.
 */
@OnEveryTopology
class RedisLayoutTest extends AbstractKvTest {

	@Test
	void anEntryThatFitsInOneChunkIsOneHash() {
		RedisKvNamespace store = store("demo");
		store.put("k", "value", KvPutOptions.builder().metadata(List.of(1)).expirationTtl(600).build());
		assertThat(this.redis.raw().keys("*")).containsExactly("kv:demo:k");
		assertThat(this.redis.raw().type("kv:demo:k")).isEqualTo("hash");
		assertThat(this.redis.raw().hgetall("kv:demo:k")).containsOnlyKeys("v", "n", "m", "x")
			.containsEntry("v", "value")
			.containsEntry("n", "5")
			.containsEntry("m", "[1]");
		store.put("max", new byte[EntryLayout.CHUNK_SIZE]);
		assertThat(this.redis.raw().keys("*")).hasSize(2);
	}

	@Test
	void aLargerValueIsOneHashAndOneBlobInTheSameClusterSlot() {
		RedisKvNamespace store = store("demo");
		for (String key : List.of("plain", "{tag}x", "}{", "{}x", "a{b}c{d}", "ünï{cødé}")) {
			this.redis.flushAll();
			store.put(key, new byte[EntryLayout.CHUNK_SIZE + 1]);
			byte[] entry = ("kv:demo:" + key).getBytes(StandardCharsets.UTF_8);
			byte[] blob = this.redis.rawBinary().hget(entry, EntryLayout.BLOB);
			assertThat(blob).isNotNull();
			assertThat(blob[8]).isEqualTo((byte) 0xFF);
			assertThat(SlotHash.getSlot(blob)).as(key).isEqualTo(SlotHash.getSlot(entry));
			assertThat(this.redis.rawBinary().strlen(blob)).isEqualTo(EntryLayout.CHUNK_SIZE + 1);
			assertThat(allKeys()).hasSize(2);
		}
	}

	@Test
	void everyClusterSlotHasAHashTag() {
		for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
			String tag = EntryLayout.SlotTags.tag(slot);
			assertThat(SlotHash.getSlot("{" + tag + "}anything")).isEqualTo(slot);
		}
	}

	@Test
	void aPrefixWithAHashTagKeepsTheWholeStoreInOneSlot() {
		RedisKvNamespace store = store("demo", KvStoreSettings.defaults("demo").withKeyPrefix("app:{demo}:"));
		store.put("a", new byte[EntryLayout.CHUNK_SIZE + 1]);
		store.put("b", "v");
		for (byte[] key : allKeys()) {
			assertThat(SlotHash.getSlot(key)).isEqualTo(SlotHash.getSlot("demo"));
		}
		assertThat(store.list().keys()).hasSize(2);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> KvStoreSettings.defaults("x").withKeyPrefix("app:{x:"))
			.withMessageContaining("'keyPrefix' may only hold braces as one complete Redis Cluster hash tag");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> KvStoreSettings.defaults("x").withKeyPrefix("app:{}:"));
	}

	@Test
	void theMatchPatternEscapesEveryGlobCharacter() {
		EntryLayout layout = new EntryLayout("kv:[a]*:");
		byte[] pattern = layout.matchPattern("x?\\{".getBytes(StandardCharsets.UTF_8));
		assertThat(new String(pattern, StandardCharsets.UTF_8)).isEqualTo("kv:\\[a\\]\\*:x\\?\\\\\\{*");
	}

	@Test
	void singleKeyOperationsUpToOneMebibyteTakeOneRoundTrip() {
		List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
		io.lettuce.core.AbstractRedisClient client = this.redis.newClient();
		client.addListener(new io.lettuce.core.event.command.CommandListener() {

			@Override
			public void commandStarted(io.lettuce.core.event.command.CommandStartedEvent event) {
				sent.add(event.getCommand().getType().toString());
			}

		});
		try (KvRedisConnection counted = new KvRedisConnection(client)) {
			RedisKvNamespace store = new RedisKvNamespace("demo", KvStoreSettings.defaults("demo"), counted, this.jsonMapper);
			byte[] value = new byte[EntryLayout.CHUNK_SIZE];
			store.put("warm-up", "v");
			store.delete("warm-up");
			sent.clear();
			store.put("k", value, KvPutOptions.builder().metadata("m").expirationTtl(600).build());
			assertThat(sent).containsExactly("EVALSHA");
			sent.clear();
			assertThat(store.getWithMetadata("k", KvType.BYTES).value()).hasSize(value.length);
			assertThat(store.get("k")).hasSize(value.length);
			assertThat(sent).containsExactly("HMGET", "HMGET");
			sent.clear();
			store.delete("k");
			assertThat(sent).containsExactly("EVALSHA");
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void entriesExpireWithPexpireat() {
		RedisKvNamespace store = store("demo");
		long before = commandCalls("pexpireat");
		store.put("k", "v", KvPutOptions.builder().expirationTtl(600).build());
		assertThat(commandCalls("pexpireat")).isEqualTo(before + 1);
		store.put("big", new byte[EntryLayout.CHUNK_SIZE + 1], KvPutOptions.builder().expirationTtl(600).build());
		assertThat(commandCalls("pexpireat")).isEqualTo(before + 3);
		byte[] blob = this.redis.rawBinary().hget("kv:demo:big".getBytes(StandardCharsets.UTF_8), EntryLayout.BLOB);
		assertThat(expiresAtMillis(blob)).isCloseTo(expiresAtMillis("kv:demo:big"), expiryTolerance());
	}

	static boolean startsWith(byte[] key, byte[] prefix) {
		return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
	}

}
