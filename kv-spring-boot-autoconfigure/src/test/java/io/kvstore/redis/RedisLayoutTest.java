package io.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.core.KvReplicaAckSettings;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.test.RoundTripCounter;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The Redis layout of the design card: one hash per entry (a large value's chunks in it
 * too), staged entries in the entry's slot, expiration with PEXPIREAT, and one round trip
 * per single-key operation up to 1 MiB. Redis only ({@link OnEveryRedisTopology}): it
 * checks Redis' own keys, fields and commands, which a memory store does not have.
 */
@OnEveryRedisTopology
class RedisLayoutTest extends AbstractKvTest {

	@Test
	void anEntryThatFitsInOneChunkIsOneHash() {
		KvNamespace store = store("demo");
		store.put("k", "value", KvPutOptions.builder().metadata(List.of(1)).expirationTtl(600).build());
		assertThat(this.redis.raw().keys("*")).containsExactly("kv:demo:k");
		assertThat(this.redis.raw().type("kv:demo:k")).isEqualTo("hash");
		// The expiration is on the key only.
		assertThat(this.redis.raw().hgetall("kv:demo:k")).containsOnlyKeys("v", "n", "m")
			.containsEntry("v", "value")
			.containsEntry("n", "5")
			.containsEntry("m", "[1]");
		assertThat(this.redis.raw().pttl("kv:demo:k")).isBetween(1L, 600_000L);
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
			// The generation is the staging key the value was written to, in the entry's
			// slot.
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
		// A large value that a large one replaced is kept for its stream readers, under
		// its generation and a grace expiry (aLargeValueReplacedByALargeOne...); only
		// that.
		assertThat(allKeys()).hasSize(2);
		this.redis.rawBinary().del(retiredKeys().toArray(byte[][]::new));
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
	void aLargeValueReplacedByALargeOneIsKeptUnderItsGenerationForTheGracePeriodOnly() {
		KvNamespace store = store("demo");
		byte[] entry = "kv:demo:k".getBytes(StandardCharsets.UTF_8);
		store.put("k", StreamTest.filled(2 * EntryLayout.CHUNK_SIZE + 1, (byte) 'a'),
				KvPutOptions.builder().metadata("old").build());
		byte[] generation = this.redis.rawBinary().hget(entry, EntryLayout.GENERATION);
		store.put("k", StreamTest.filled(3 * EntryLayout.CHUNK_SIZE, (byte) 'b'));
		// The old entry, renamed to its generation: all its fields, g naming the key
		// itself.
		assertThat(retiredKeys()).containsExactly(generation);
		assertThat(this.redis.rawBinary().hget(generation, EntryLayout.GENERATION)).isEqualTo(generation);
		assertThat(this.redis.rawBinary().hkeys(generation))
			.extracting((field) -> new String(field, StandardCharsets.US_ASCII))
			.containsExactlyInAnyOrder("g", "c0", "c1", "c2", "n", "m");
		assertThat(this.redis.rawBinary().hget(generation, EntryLayout.chunkField(2))).containsExactly((byte) 'a');
		assertThat(this.redis.rawBinary().pttl(generation)).isPositive()
			.isLessThanOrEqualTo(EntryLayout.RETIRED_TTL_MILLIS);
		assertThat(SlotHash.getSlot(generation)).isEqualTo(SlotHash.getSlot(entry));
		// Not listed, not counted, and cleared with the store.
		assertThat(store.list().keys()).extracting(io.kvstore.KvKey::name).containsExactly("k");
		assertThat(store.clear()).isOne();
		assertThat(allKeys()).isEmpty();
	}

	@Test
	void aRetiredValueNeverOutlivesItsOwnExpiry() {
		KvNamespace store = store("demo");
		store.put("k", new byte[2 * EntryLayout.CHUNK_SIZE], KvPutOptions.builder().expirationTtl(120).build());
		store.put("k", new byte[2 * EntryLayout.CHUNK_SIZE]);
		List<byte[]> retired = retiredKeys();
		assertThat(retired).hasSize(1);
		assertThat(this.redis.rawBinary().pttl(retired.get(0))).isPositive().isLessThanOrEqualTo(120_000L);
		// The new entry is persistent, as put.
		assertThat(this.redis.raw().pttl("kv:demo:k")).isEqualTo(-1);
	}

	@Test
	void aDeleteOrASmallPutThatReplacesALargeValueKeepsNothingOfIt() {
		KvNamespace store = store("demo");
		for (Object small : new Object[] { "v", new byte[EntryLayout.SCRIPT_VALUE_LIMIT + 1],
				new byte[EntryLayout.RESTORE_VALUE_LIMIT + 1], new byte[EntryLayout.CHUNK_SIZE] }) {
			store.put("k", new byte[2 * EntryLayout.CHUNK_SIZE]);
			if (small instanceof String text) {
				store.put("k", text);
			}
			else {
				store.put("k", (byte[]) small);
			}
			assertThat(allKeys()).extracting((key) -> new String(key, StandardCharsets.ISO_8859_1))
				.containsExactly("kv:demo:k");
		}
		store.put("k", new byte[2 * EntryLayout.CHUNK_SIZE]);
		store.delete("k");
		assertThat(allKeys()).isEmpty();
		// Nor does a large put over a small value or over nothing.
		store.put("k", "small");
		store.put("k", new byte[2 * EntryLayout.CHUNK_SIZE]);
		store.put("new", new byte[2 * EntryLayout.CHUNK_SIZE]);
		assertThat(allKeys()).hasSize(2);
	}

	@Test
	void aChunkedCommitChangesNothingWhenTheEntryChangedSinceItReadItsGeneration() {
		KvNamespace store = store("demo");
		byte[] entry = "kv:demo:k".getBytes(StandardCharsets.UTF_8);
		store.put("k", new byte[2 * EntryLayout.CHUNK_SIZE]);
		byte[] current = this.connection.eval(EntryScripts.GENERATION, new byte[][] { entry });
		assertThat(current).isEqualTo(this.redis.rawBinary().hget(entry, EntryLayout.GENERATION));
		byte[] staged = stagedChunkedEntry(entry);
		byte[] stale = new EntryLayout("kv:demo:").newStagingKey(entry);
		Map<String, String> before = snapshot();
		byte[][] args = { "none".getBytes(StandardCharsets.US_ASCII), "0".getBytes(StandardCharsets.US_ASCII),
				"retire".getBytes(StandardCharsets.US_ASCII) };
		// Expecting another generation, or no chunked entry at all: 0, nothing changed.
		assertThat((Long) this.connection.eval(EntryScripts.PUT_STAGED, new byte[][] { entry, staged, stale }, args))
			.isZero();
		assertThat((Long) this.connection.eval(EntryScripts.PUT_STAGED, new byte[][] { entry, staged }, args)).isZero();
		assertThat(snapshot()).isEqualTo(before);
		// With the generation it has: committed, the old entry kept under it; a replay
		// (after a dropped connection) succeeds and changes nothing.
		assertThat((Long) this.connection.eval(EntryScripts.PUT_STAGED, new byte[][] { entry, staged, current }, args))
			.isOne();
		Map<String, String> applied = snapshot();
		assertThat(retiredKeys()).containsExactly(current);
		assertThat((Long) this.connection.eval(EntryScripts.PUT_STAGED, new byte[][] { entry, staged, current }, args))
			.isOne();
		assertThat(snapshot()).isEqualTo(applied);
		assertThat(this.redis.rawBinary().hget(entry, EntryLayout.GENERATION)).isEqualTo(staged);
		// A small value has no generation to keep.
		store.put("k", "small");
		assertThat((byte[]) this.connection.eval(EntryScripts.GENERATION, new byte[][] { entry })).isNull();
	}

	// A store that waits for replicas pipelines WAIT with the commit, before its reply
	// is known: a commit that lost the race to another put (0) wrote nothing, so too few
	// replicas must not fail it (the put reads the generation again and retries).
	@Test
	void aCommitThatWroteNothingIsNotRefusedForWantOfReplicas() {
		assumeFalse(isCluster(), "a store that waits for replicas is refused on a cluster");
		KvNamespace store = store("demo");
		byte[] entry = "kv:demo:k".getBytes(StandardCharsets.UTF_8);
		store.put("k", new byte[2 * EntryLayout.CHUNK_SIZE]);
		byte[] current = this.redis.rawBinary().hget(entry, EntryLayout.GENERATION);
		byte[] staged = stagedChunkedEntry(entry);
		byte[] stale = new EntryLayout("kv:demo:").newStagingKey(entry);
		byte[][] args = { "none".getBytes(StandardCharsets.US_ASCII), "0".getBytes(StandardCharsets.US_ASCII),
				"retire".getBytes(StandardCharsets.US_ASCII) };
		// This Redis has no replica, so every WAIT for one falls short.
		ReplicaAck ack = new ReplicaAck(new KvReplicaAckSettings(1, Duration.ofMillis(20)), "the put of key 'k'");
		assertThat((Long) this.connection.eval(ack.asConditional(), EntryScripts.PUT_STAGED,
				new byte[][] { entry, staged, stale }, args))
			.isZero();
		assertThatExceptionOfType(KvReplicaAckException.class).isThrownBy(
				() -> this.connection.eval(ack, EntryScripts.PUT_STAGED, new byte[][] { entry, staged, stale }, args));
		// A commit that wrote is refused, conditional or not.
		assertThatExceptionOfType(KvReplicaAckException.class)
			.isThrownBy(() -> this.connection.eval(ack.asConditional(), EntryScripts.PUT_STAGED,
					new byte[][] { entry, staged, current }, args))
			.withMessageContaining("The put of key 'k' was acknowledged by 0 of the 1 replica");
		assertThat(this.redis.rawBinary().hget(entry, EntryLayout.GENERATION)).isEqualTo(staged);
	}

	// A staged entry of a value of two chunks, as a chunked put leaves it before its
	// commit.
	private byte[] stagedChunkedEntry(byte[] entry) {
		byte[] staged = new EntryLayout("kv:demo:").newStagingKey(entry);
		this.redis.rawBinary()
			.hset(staged,
					Map.of(EntryLayout.GENERATION, staged, EntryLayout.LENGTH,
							Integer.toString(2 * EntryLayout.CHUNK_SIZE).getBytes(StandardCharsets.US_ASCII),
							EntryLayout.chunkField(0), new byte[EntryLayout.CHUNK_SIZE], EntryLayout.chunkField(1),
							new byte[EntryLayout.CHUNK_SIZE]));
		this.redis.rawBinary().pexpire(staged, EntryLayout.STAGING_TTL_MILLIS);
		return staged;
	}

	// The keys under the store's prefix that are no entry (staged or retired), each of
	// which must expire.
	private List<byte[]> retiredKeys() {
		List<byte[]> retired = new java.util.ArrayList<>();
		for (byte[] key : allKeys()) {
			if (key["kv:demo:".length()] == (byte) 0xFF) {
				assertThat(this.redis.rawBinary().pttl(key)).as("expiry of a key that is no entry").isPositive();
				retired.add(key);
			}
		}
		return retired;
	}

	@Test
	void aValueOverTheRestoreLimitIsStagedAndRenamedIntoTheSameSingleHash() {
		KvNamespace store = store("demo");
		long renames = commandCalls("rename");
		for (String key : List.of("plain", "{tag}x", "}{", "{}x", "a{b}c{d}", "ünï{cødé}")) {
			this.redis.flushAll();
			byte[] value = new byte[EntryLayout.RESTORE_VALUE_LIMIT + 1];
			value[0] = 1;
			store.put(key, "old", KvPutOptions.builder().metadata("old").expirationTtl(600).build());
			store.put(key, value, KvPutOptions.builder().metadata(List.of(1)).expirationTtl(900).build());
			byte[] entry = ("kv:demo:" + key).getBytes(StandardCharsets.UTF_8);
			assertThat(allKeys()).as(key).hasSize(1);
			assertThat(this.redis.rawBinary().hget(entry, EntryLayout.VALUE)).isEqualTo(value);
			assertThat(this.redis.raw().hgetall("kv:demo:" + key)).containsOnlyKeys("v", "n", "m", "g")
				.containsEntry("n", Integer.toString(value.length))
				.containsEntry("m", "[1]");
			long ttl = this.redis.rawBinary().pttl(entry);
			assertThat(ttl).isBetween(600_001L, 900_000L);
			// Without metadata and expiration the entry has neither (g is its
			// generation).
			store.put(key, value);
			assertThat(this.redis.raw().hgetall("kv:demo:" + key)).containsOnlyKeys("v", "n", "g");
			assertThat(this.redis.rawBinary().pttl(entry)).isEqualTo(-1);
			assertThat(allKeys()).as(key).hasSize(1);
		}
		assertThat(commandCalls("rename")).isGreaterThan(renames);
	}

	@Test
	void theStagedPutChangesNothingWhenItsStagedEntryIsGone() {
		RedisKvNamespace store = (RedisKvNamespace) store("demo");
		store.put("k", "old");
		Map<String, String> before = snapshot();
		byte[] entry = "kv:demo:k".getBytes(StandardCharsets.UTF_8);
		byte[] staged = new EntryLayout("kv:demo:").newStagingKey(entry);
		Long reply = this.connection.eval(EntryScripts.PUT_STAGED, new byte[][] { entry, staged },
				"none".getBytes(StandardCharsets.US_ASCII), "0".getBytes(StandardCharsets.US_ASCII));
		assertThat(reply).isEqualTo(-1L);
		assertThat(snapshot()).isEqualTo(before);
		assertThat(store.get("k")).isEqualTo("old");
	}

	@Test
	void aReplayedCommitOfAStagedPutSucceedsAndChangesNothing() {
		RedisKvNamespace store = (RedisKvNamespace) store("demo");
		byte[] entry = "kv:demo:k".getBytes(StandardCharsets.UTF_8);
		byte[] staged = new EntryLayout("kv:demo:").newStagingKey(entry);
		byte[] value = new byte[EntryLayout.RESTORE_VALUE_LIMIT + 1];
		this.redis.rawBinary()
			.hset(staged, Map.of(EntryLayout.VALUE, value, EntryLayout.LENGTH,
					Integer.toString(value.length).getBytes(), EntryLayout.GENERATION, staged));
		this.redis.rawBinary().pexpire(staged, EntryLayout.STAGING_TTL_MILLIS);
		byte[][] args = { "after".getBytes(StandardCharsets.US_ASCII), "600000".getBytes(StandardCharsets.US_ASCII) };
		assertThat((Long) this.connection.eval(EntryScripts.PUT_STAGED, new byte[][] { entry, staged }, args)).isOne();
		Map<String, String> applied = snapshot();
		long expiresAt = expiresAtMillis(entry);
		// As Lettuce replays it after a dropped connection: the same commit once more.
		assertThat((Long) this.connection.eval(EntryScripts.PUT_STAGED, new byte[][] { entry, staged }, args)).isOne();
		assertThat(snapshot()).isEqualTo(applied);
		assertThat(expiresAtMillis(entry)).isCloseTo(expiresAt, expiryTolerance());
		assertThat(store.get("k", KvType.BYTES)).isEqualTo(value);
		// Once another put replaced the entry, a late replay changes nothing either.
		store.put("k", "newer");
		assertThat((Long) this.connection.eval(EntryScripts.PUT_STAGED, new byte[][] { entry, staged }, args))
			.isEqualTo(-1L);
		assertThat(store.get("k")).isEqualTo("newer");
	}

	@Test
	void aStagedPutWhoseStagedValueVanishesFailsAsADataAccessExceptionThatSaysWhy() throws Exception {
		RedisKvNamespace store = (RedisKvNamespace) store("demo");
		store.put("file", "previous");
		StreamTest.PausingStream slow = new StreamTest.PausingStream(3L * EntryLayout.CHUNK_SIZE,
				2L * EntryLayout.CHUNK_SIZE);
		java.util.concurrent.CompletableFuture<Void> put = java.util.concurrent.CompletableFuture
			.runAsync(() -> store.put("file", slow));
		assertThat(slow.paused.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		// What an eviction under a volatile-* policy does: the staged value goes.
		eventually(java.time.Duration.ofSeconds(10), () -> allKeys().size() == 2);
		for (byte[] key : allKeys()) {
			if (!Arrays.equals(key, "kv:demo:file".getBytes(StandardCharsets.UTF_8))) {
				this.redis.rawBinary().del(key);
			}
		}
		slow.resume.countDown();
		assertThat(put).failsWithin(java.time.Duration.ofSeconds(30))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(org.springframework.dao.DataAccessException.class)
			.withMessageContaining("The put of key 'file' under prefix 'kv:demo:' failed and wrote nothing")
			.withMessageContaining("evicted it");
		assertThat(store.get("file")).isEqualTo("previous");
		assertThat(allKeys()).hasSize(1);
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
			// Up to the RESTORE limit, with a time to live and metadata: one plain
			// command.
			for (int size : new int[] { 0, EntryLayout.SCRIPT_VALUE_LIMIT, EntryLayout.RESTORE_VALUE_LIMIT }) {
				counter.reset();
				store.put("k", new byte[size], options);
				assertThat(counter.commands()).containsExactly("RESTORE");
				assertThat(counter.roundTrips()).isOne();
			}
			// Over the RESTORE limit: staged with HSET and renamed into place, pipelined.
			for (int size : new int[] { EntryLayout.RESTORE_VALUE_LIMIT + 1, EntryLayout.CHUNK_SIZE }) {
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
	void theExpirationIsSetOnTheKeyOnRedisClockNeverCopiedIntoTheHash() {
		KvNamespace store = store("demo");
		long before = nowMillis();
		store.put("small", "v", KvPutOptions.builder().expirationTtl(600).build());
		store.put("staged", new byte[EntryLayout.RESTORE_VALUE_LIMIT + 1],
				KvPutOptions.builder().expirationTtl(600).build());
		store.put("big", new byte[EntryLayout.CHUNK_SIZE + 1], KvPutOptions.builder().expirationTtl(600).build());
		long after = nowMillis();
		long at = (System.currentTimeMillis() / 1000 + 3600) * 1000;
		store.put("at", new byte[EntryLayout.RESTORE_VALUE_LIMIT + 1],
				KvPutOptions.builder().expiration(at / 1000).build());
		for (String key : List.of("small", "staged", "big")) {
			assertThat(this.redis.raw().hexists("kv:demo:" + key, "x")).as(key).isFalse();
			assertThat(expiresAtMillis("kv:demo:" + key)).as(key)
				.isBetween(before + 600_000 - expiryTolerance().value, after + 600_000 + expiryTolerance().value);
		}
		assertThat(this.redis.raw().hexists("kv:demo:at", "x")).isFalse();
		assertThat(expiresAtMillis("kv:demo:at")).isCloseTo(at, expiryTolerance());
	}

	@Test
	void entriesWrittenBy01WithAnExpirationFieldReadListAndExpireByTheirKey() {
		KvNamespace store = shortLivedStore("demo");
		long keyExpiry = (System.currentTimeMillis() / 1000 + 3600) * 1000;
		// 0.1 wrote the expiration into the hash (x) and onto the key; the key's is
		// authoritative.
		this.redis.raw().hset("kv:demo:old", Map.of("v", "old value", "n", "9", "m", "{\"a\":1}", "x", "1"));
		this.redis.raw().pexpireat("kv:demo:old", keyExpiry);
		this.redis.raw().hset("kv:demo:short", Map.of("v", "v", "n", "1", "x", Long.toString(keyExpiry)));
		this.redis.raw().pexpire("kv:demo:short", 1000);
		assertThat(store.getWithMetadata("old").value()).isEqualTo("old value");
		assertThat(store.getWithMetadata("old").metadata().get("a").intValue()).isOne();
		assertThat(store.list(io.kvstore.KvListOptions.prefix("old")).keys())
			.containsExactly(new io.kvstore.KvKey("old", keyExpiry / 1000, store.getWithMetadata("old").metadata()));
		// Expired by its key although its field x says an hour from now.
		eventually(java.time.Duration.ofSeconds(10), () -> store.get("short") == null);
		assertThat(store.list().keys()).extracting(io.kvstore.KvKey::name).containsExactly("old");
		// The next put of the key drops the field.
		store.put("old", "new");
		assertThat(this.redis.raw().hgetall("kv:demo:old")).containsOnlyKeys("v", "n");
		assertThat(this.redis.raw().pttl("kv:demo:old")).isEqualTo(-1);
	}

	@Test
	void withRestoreOffEveryPutIsAScriptOrAStagedPut() {
		RoundTripCounter counter = new RoundTripCounter();
		io.lettuce.core.AbstractRedisClient client = this.redis.newClient();
		client.addListener(counter);
		try (KvRedisConnection connection = new KvRedisConnection(client, RestoreMode.NEVER)) {
			RedisKvNamespace store = new RedisKvNamespace("demo", KvStoreSettings.defaults("demo"), connection,
					this.jsonMapper);
			store.delete("warm-up");
			KvPutOptions ttl = KvPutOptions.builder().expirationTtl(600).metadata("m").build();
			counter.reset();
			store.put("k", "v");
			store.put("t", "v", ttl);
			assertThat(counter.commands()).containsExactly("EVALSHA", "EVALSHA");
			counter.reset();
			store.put("s", new byte[EntryLayout.SCRIPT_VALUE_LIMIT + 1], ttl);
			assertThat(counter.commands()).containsExactly("HSET", "PEXPIRE", "EVALSHA");
			assertThat(store.getWithMetadata("t").metadata().stringValue()).isEqualTo("m");
			assertThat(this.redis.raw().pttl("kv:demo:t")).isBetween(1L, 600_000L);
			assertThat(this.redis.raw().pttl("kv:demo:k")).isEqualTo(-1);
			assertThat(store.get("s", KvType.BYTES)).hasSize(EntryLayout.SCRIPT_VALUE_LIMIT + 1);
		}
		finally {
			client.shutdown();
		}
	}

	static boolean startsWith(byte[] key, byte[] prefix) {
		return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
	}

}
