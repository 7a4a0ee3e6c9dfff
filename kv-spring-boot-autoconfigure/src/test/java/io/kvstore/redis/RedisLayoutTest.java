package io.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.test.RoundTripCounter;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Redis layout of the design card: one hash per entry (a large value's chunks in it too),
 * staged entries in the entry's slot, expiration with PEXPIREAT, and one round trip per
 * single-key operation up to 1 MiB. Redis only ({@link OnEveryRedisTopology}): it checks
 * Redis' own keys, fields and commands, which a memory store does not have.
 */
@OnEveryRedisTopology
class RedisLayoutTest extends AbstractKvTest {

	@Test
	void anEntryThatFitsInOneChunkIsOneHash() {
		KvNamespace store = store("demo");
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
	void aLargerValueIsOneHashWithItsChunksAndAGeneration() {
		KvNamespace store = store("demo");
		for (String key : List.of("plain", "{tag}x", "}{", "{}x", "a{b}c{d}", "ünï{cødé}")) {
			this.redis.flushAll();
			byte[] value = new byte[2 * EntryLayout.CHUNK_SIZE + 1];
			value[EntryLayout.CHUNK_SIZE] = 7;
			store.put(key, value, KvPutOptions.builder().metadata("m").build());
			byte[] entry = ("kv:demo:" + key).getBytes(StandardCharsets.UTF_8);
			assertThat(allKeys()).as(key).hasSize(1);
			assertThat(this.redis.raw().hkeys("kv:demo:" + key)).as(key)
				.containsExactlyInAnyOrder("g", "c0", "c1", "c2", "n", "m");
			assertThat(this.redis.raw().hget("kv:demo:" + key, "n")).isEqualTo(Integer.toString(value.length));
			assertThat(this.redis.rawBinary().hget(entry, EntryLayout.chunkField(1))[0]).isEqualTo((byte) 7);
			assertThat(this.redis.rawBinary().hstrlen(entry, EntryLayout.chunkField(2))).isOne();
			// The generation is the staging key the value was written to, in the entry's slot.
			byte[] generation = this.redis.rawBinary().hget(entry, EntryLayout.GENERATION);
			assertThat(generation[8]).isEqualTo((byte) 0xFF);
			assertThat(SlotHash.getSlot(generation)).as(key).isEqualTo(SlotHash.getSlot(entry));
			assertThat(this.redis.rawBinary().pttl(entry)).isEqualTo(-1);
		}
	}

	@Test
	void everyPutAndDeleteLeavesOnlyTheEntryItWrote() {
		KvNamespace store = store("demo");
		byte[] entry = "kv:demo:k".getBytes(StandardCharsets.UTF_8);
		store.put("k", new byte[2 * EntryLayout.CHUNK_SIZE + 1], KvPutOptions.builder().metadata("big").build());
		store.put("k", new byte[EntryLayout.CHUNK_SIZE + 1]);
		assertThat(this.redis.raw().hkeys("kv:demo:k")).containsExactlyInAnyOrder("g", "c0", "c1", "n");
		store.put("k", new byte[EntryLayout.SCRIPT_VALUE_LIMIT + 1]);
		assertThat(this.redis.raw().hkeys("kv:demo:k")).containsExactlyInAnyOrder("v", "n");
		store.put("k", new byte[EntryLayout.CHUNK_SIZE + 1], KvPutOptions.builder().expirationTtl(600).build());
		store.put("k", "small");
		assertThat(this.redis.raw().hkeys("kv:demo:k")).containsExactlyInAnyOrder("v", "n");
		assertThat(this.redis.rawBinary().pttl(entry)).isEqualTo(-1);
		assertThat(allKeys()).hasSize(1);
		store.put("k", new byte[EntryLayout.CHUNK_SIZE + 1]);
		store.delete("k");
		assertThat(allKeys()).isEmpty();
	}

	@Test
	void aValueOverTheScriptLimitIsStagedAndRenamedIntoTheSameSingleHash() {
		KvNamespace store = store("demo");
		long renames = commandCalls("rename");
		for (String key : List.of("plain", "{tag}x", "}{", "{}x", "a{b}c{d}", "ünï{cødé}")) {
			this.redis.flushAll();
			byte[] value = new byte[EntryLayout.SCRIPT_VALUE_LIMIT + 1];
			value[0] = 1;
			store.put(key, "old", KvPutOptions.builder().metadata("old").expirationTtl(600).build());
			store.put(key, value, KvPutOptions.builder().metadata(List.of(1)).expirationTtl(900).build());
			byte[] entry = ("kv:demo:" + key).getBytes(StandardCharsets.UTF_8);
			assertThat(allKeys()).as(key).hasSize(1);
			assertThat(this.redis.rawBinary().hget(entry, EntryLayout.VALUE)).isEqualTo(value);
			assertThat(this.redis.raw().hgetall("kv:demo:" + key)).containsOnlyKeys("v", "n", "m", "x")
				.containsEntry("n", Integer.toString(value.length))
				.containsEntry("m", "[1]");
			assertThat(Long.parseLong(this.redis.raw().hget("kv:demo:" + key, "x"))).isCloseTo(expiresAtMillis(entry),
					expiryTolerance());
			long ttl = this.redis.rawBinary().pttl(entry);
			assertThat(ttl).isBetween(600_001L, 900_000L);
			// Without metadata and expiration the entry has neither.
			store.put(key, value);
			assertThat(this.redis.raw().hgetall("kv:demo:" + key)).containsOnlyKeys("v", "n");
			assertThat(this.redis.rawBinary().pttl(entry)).isEqualTo(-1);
			assertThat(allKeys()).as(key).hasSize(1);
		}
		assertThat(commandCalls("rename")).isGreaterThan(renames);
	}

	@Test
	void theStagedPutChangesNothingWhenItsStagedEntryIsGone() {
		KvNamespace store = store("demo");
		store.put("k", "old");
		Map<String, String> before = snapshot();
		byte[] entry = "kv:demo:k".getBytes(StandardCharsets.UTF_8);
		byte[] staged = new EntryLayout("kv:demo:").newStagingKey(entry);
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> this.connection.eval(EntryScripts.PUT_STAGED, new byte[][] { entry, staged },
					"none".getBytes(StandardCharsets.US_ASCII), "0".getBytes(StandardCharsets.US_ASCII)))
			.havingRootCause()
			.withMessageContaining("no such key");
		assertThat(snapshot()).isEqualTo(before);
		assertThat(store.get("k")).isEqualTo("old");
	}

	@Test
	void everyClusterSlotHasAHashTag() {
		for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
			String tag = SlotTags.tag(slot);
			assertThat(SlotHash.getSlot("{" + tag + "}anything")).isEqualTo(slot);
		}
	}

	@Test
	void aPrefixWithAHashTagKeepsTheWholeStoreInOneSlot() {
		KvNamespace store = store("demo", KvStoreSettings.defaults("demo").withKeyPrefix("app:{demo}:"));
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
		RoundTripCounter counter = new RoundTripCounter();
		withListenedStore(counter, (store) -> {
			KvPutOptions options = KvPutOptions.builder().metadata("m").expirationTtl(600).build();
			store.put("warm-up", "v");
			store.delete("warm-up");
			for (int size : new int[] { 0, EntryLayout.SCRIPT_VALUE_LIMIT }) {
				counter.reset();
				store.put("k", new byte[size], options);
				assertThat(counter.commands()).containsExactly("EVALSHA");
				assertThat(counter.roundTrips()).isOne();
			}
			// Over the script limit: staged with HSET and renamed into place, pipelined.
			for (int size : new int[] { EntryLayout.SCRIPT_VALUE_LIMIT + 1, EntryLayout.CHUNK_SIZE }) {
				counter.reset();
				store.put("k", new byte[size], options);
				assertThat(counter.commands()).containsExactly("HSET", "PEXPIRE", "EVALSHA");
				assertThat(counter.roundTrips()).isOne();
				counter.reset();
				assertThat(store.getWithMetadata("k", KvType.BYTES).value()).hasSize(size);
				assertThat(counter.roundTrips()).isOne();
				counter.reset();
				assertThat(store.get("k")).hasSize(size);
				assertThat(counter.commands()).containsExactly("HMGET");
				assertThat(counter.roundTrips()).isOne();
			}
			counter.reset();
			store.delete("k");
			assertThat(counter.commands()).containsExactly("DEL");
			assertThat(counter.roundTrips()).isOne();
			// A larger value: a read learns its length, then reads all of it at once.
			store.put("big", new byte[EntryLayout.CHUNK_SIZE + 1]);
			counter.reset();
			assertThat(store.get("big", KvType.BYTES)).hasSize(EntryLayout.CHUNK_SIZE + 1);
			assertThat(counter.commands()).containsExactly("HMGET", "HMGET");
			assertThat(counter.roundTrips()).isEqualTo(2);
			counter.reset();
			store.delete("big");
			assertThat(counter.commands()).containsExactly("DEL");
		});
	}

	@Test
	void entriesExpireWithPexpireat() {
		KvNamespace store = store("demo");
		long before = commandCalls("pexpireat");
		store.put("k", "v", KvPutOptions.builder().expirationTtl(600).build());
		assertThat(commandCalls("pexpireat")).isEqualTo(before + 1);
		store.put("big", new byte[EntryLayout.CHUNK_SIZE + 1], KvPutOptions.builder().expirationTtl(600).build());
		assertThat(commandCalls("pexpireat")).isEqualTo(before + 2);
		assertThat(Long.parseLong(this.redis.raw().hget("kv:demo:big", "x"))).isCloseTo(expiresAtMillis("kv:demo:big"),
				expiryTolerance());
	}

	static boolean startsWith(byte[] key, byte[] prefix) {
		return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
	}

}
