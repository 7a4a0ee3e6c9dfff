package io.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.test.RoundTripCounter;
import io.lettuce.core.RestoreArgs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serialized hash that a put restores: Redis' CRC-64, RDB lengths of every size, and
 * puts that are one {@code RESTORE} on every Redis the tests run (6.2, 7 and the
 * cluster). Redis only ({@link OnEveryRedisTopology}): it checks Redis' payload format
 * and commands, which a memory store does not have.
 */
@OnEveryRedisTopology
class DumpPayloadTest extends AbstractKvTest {

	@Test
	void theChecksumIsRedisCrc64() {
		// The check value of CRC-64/Jones, as Redis' own crc64 test has it.
		byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
		assertThat(DumpPayload.crc64(check, 0, check.length)).isEqualTo(0xe9c6d914c4b8d9caL);
		// Eight bytes at a time, and three lanes of 256 bytes at a time, give what one
		// byte at a time gives: at every length up to 100, and at lengths up to and past
		// several blocks of lanes (768 bytes each), at an offset.
		Random random = new Random(42);
		for (int length = 0; length < 3000; length += (length < 100) ? 1 : 37) {
			byte[] bytes = new byte[length + 3];
			random.nextBytes(bytes);
			assertThat(DumpPayload.crc64(bytes, 3, bytes.length)).as("length %d", length)
				.isEqualTo(bytewiseCrc64(bytes, 3, bytes.length));
		}
	}

	@Test
	void redisRestoresTheHashWithFieldsOfEveryLengthEncoding() {
		Random random = new Random(7);
		for (int size : new int[] { 0, 1, 63, 64, 65, 16383, 16384, 70_000 }) {
			byte[] value = new byte[size];
			random.nextBytes(value);
			byte[] key = ("kv:demo:" + size).getBytes(StandardCharsets.UTF_8);
			byte[] payload = DumpPayload.hash(bytes("v"), value, bytes("n"), bytes(Integer.toString(size)));
			assertThat(this.redis.rawBinary().restore(key, payload, RestoreArgs.Builder.ttl(0).replace()))
				.isEqualTo("OK");
			Map<byte[], byte[]> hash = this.redis.rawBinary().hgetall(key);
			assertThat(hash).hasSize(2);
			assertThat(this.redis.rawBinary().hget(key, bytes("v"))).as("size %d", size).isEqualTo(value);
			assertThat(this.redis.raw().hget("kv:demo:" + size, "n")).isEqualTo(Integer.toString(size));
		}
	}

	@Test
	void everyPutUpToTheLimitIsOneRestoreWithItsExpiryAndReadsBackWhole() {
		RoundTripCounter counter = new RoundTripCounter();
		withListenedStore(counter, (store) -> {
			store.delete("warm-up");
			long expiresAt = (System.currentTimeMillis() / 1000 + 3600) * 1000;
			KvPutOptions at = KvPutOptions.builder().expiration(expiresAt / 1000).metadata(Map.of("a", 1)).build();
			for (int size : new int[] { 0, 100, EntryLayout.RESTORE_VALUE_LIMIT }) {
				byte[] value = new byte[size];
				java.util.Arrays.fill(value, (byte) 'x');
				counter.reset();
				store.put("k", value, at);
				assertThat(counter.commands()).containsExactly("RESTORE");
				assertThat(this.redis.raw().hgetall("kv:demo:k")).containsOnlyKeys("v", "n", "m")
					.containsEntry("n", Integer.toString(size))
					.containsEntry("m", "{\"a\":1}");
				assertThat(expiresAtMillis("kv:demo:k")).isCloseTo(expiresAt, expiryTolerance());
				assertThat(store.getWithMetadata("k", KvType.BYTES).value()).isEqualTo(value);
				// A put without expiration and metadata replaces all of it.
				counter.reset();
				store.put("k", value);
				assertThat(counter.commands()).containsExactly("RESTORE");
				assertThat(this.redis.raw().hgetall("kv:demo:k")).containsOnlyKeys("v", "n");
				assertThat(this.redis.raw().pttl("kv:demo:k")).isEqualTo(-1);
			}
			counter.reset();
			store.put("k", new byte[EntryLayout.RESTORE_VALUE_LIMIT + 1]);
			assertThat(counter.commands()).containsExactly("HSET", "PEXPIRE", "EVALSHA");
			// A time to live is RESTORE's own, counted on Redis' clock.
			counter.reset();
			long before = nowMillis();
			store.put("k", "v", KvPutOptions.builder().expirationTtl(600).metadata(Map.of("a", 1)).build());
			long after = nowMillis();
			assertThat(counter.commands()).containsExactly("RESTORE");
			assertThat(this.redis.raw().hgetall("kv:demo:k")).containsOnlyKeys("v", "n", "m");
			assertThat(expiresAtMillis("kv:demo:k")).isBetween(before + 600_000 - expiryTolerance().value,
					after + 600_000 + expiryTolerance().value);
			counter.reset();
			store.put("k", new byte[EntryLayout.RESTORE_VALUE_LIMIT + 1],
					KvPutOptions.builder().expirationTtl(600).build());
			assertThat(counter.commands()).containsExactly("HSET", "PEXPIRE", "EVALSHA");
			assertThat(this.redis.raw().pttl("kv:demo:k")).isBetween(1L, 600_000L);
		});
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static long bytewiseCrc64(byte[] bytes, int from, int to) {
		long crc = 0;
		for (int i = from; i < to; i++) {
			crc ^= bytes[i] & 0xFF;
			for (int bit = 0; bit < 8; bit++) {
				crc = ((crc & 1) != 0) ? (crc >>> 1) ^ 0x95AC9329AC4BC9B5L : crc >>> 1;
			}
		}
		return crc;
	}

}
