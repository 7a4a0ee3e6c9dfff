package io.kvstore.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;

/**
 * Which mode of Redis' client-side caching a near cache should use, measured: the default
 * mode, where Redis remembers the keys each client read and tells it when one of those
 * changes, or broadcasting ({@code BCAST PREFIX <store prefix>}), where Redis remembers
 * nothing and tells every client of every write under the prefix.
 * <p>
 * A store of {@value #KEYS} entries; {@value #INSTANCES} application instances, each with
 * its tracking connection, near-cache the same {@value #HOT} hot keys; a writer rewrites
 * random entries of the whole store, pipelined, for a few seconds; an instance reads a
 * hot key again once it was invalidated (as a near cache that misses does, which has
 * Redis track it again in the default mode). Per mode, in alternating turns: the writer's
 * throughput and the invalidation messages every instance receives per write. Run with
 * {@code java -cp kv-benchmarks/target/benchmarks.jar io.kvstore.benchmarks.TrackingModeMeasurement}
 * (a {@code redis-server} is started, or {@code -Dkv.redis=host:port}).
 */
public final class TrackingModeMeasurement {

	private static final int KEYS = 100_000;

	private static final int HOT = 100;

	private static final int INSTANCES = 8;

	private static final Duration TURN = Duration.ofSeconds(4);

	private static final byte[] VALUE = new byte[100];

	private TrackingModeMeasurement() {
	}

	public static void main(String[] args) throws Exception {
		String[] address = BenchmarkRedis.address().split(":");
		RedisClient client = RedisClient.create(RedisURI.create(address[0], Integer.parseInt(address[1])));
		client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
		try (StatefulRedisConnection<byte[], byte[]> writer = client.connect(ByteArrayCodec.INSTANCE)) {
			fill(writer);
			System.out.println("| turn | mode | writes/s | keys invalidated per instance per write | keys per "
					+ "instance | push messages per instance |");
			System.out.println("| --- | --- | --- | --- | --- | --- |");
			for (int turn = 1; turn <= 6; turn++) {
				boolean broadcast = turn % 2 == 0;
				Result result = turn(client, writer, broadcast);
				System.out.printf("| %d | %s | %.0f | %.4f | %d | %d |%n", (turn + 1) / 2,
						broadcast ? "BCAST PREFIX" : "default", result.writesPerSecond(),
						(double) result.invalidationsPerInstance() / result.writes(), result.invalidationsPerInstance(),
						result.messagesPerInstance());
			}
			writer.sync().flushall();
		}
		finally {
			client.shutdown();
		}
	}

	private static void fill(StatefulRedisConnection<byte[], byte[]> writer) {
		List<CompletableFuture<Boolean>> sent = new ArrayList<>(KEYS);
		for (int i = 0; i < KEYS; i++) {
			sent.add(writer.async().hset(key(i), "v".getBytes(StandardCharsets.US_ASCII), VALUE).toCompletableFuture());
		}
		CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
	}

	private static Result turn(RedisClient client, StatefulRedisConnection<byte[], byte[]> writer, boolean broadcast)
			throws InterruptedException {
		List<StatefulRedisConnection<byte[], byte[]>> instances = new ArrayList<>();
		List<java.util.Queue<byte[]>> invalidated = new ArrayList<>();
		AtomicLong invalidations = new AtomicLong();
		AtomicLong messages = new AtomicLong();
		try {
			for (int i = 0; i < INSTANCES; i++) {
				StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
				instances.add(connection);
				java.util.Queue<byte[]> keys = new java.util.concurrent.ConcurrentLinkedQueue<>();
				invalidated.add(keys);
				connection.addListener((message) -> {
					if (message.getType().equals("invalidate")) {
						messages.incrementAndGet();
						List<Object> content = message.getContent(ByteArrayCodec.INSTANCE::decodeKey);
						if (content.size() > 1 && content.get(1) instanceof List<?> named) {
							invalidations.addAndGet(named.size());
							// Only what the near cache held is read again.
							named.stream()
								.map(byte[].class::cast)
								.filter(TrackingModeMeasurement::isHot)
								.forEach(keys::add);
						}
					}
				});
				TrackingArgs tracking = TrackingArgs.Builder.enabled();
				if (broadcast) {
					tracking.bcast().prefixes("kv:bench:");
				}
				connection.sync().clientTracking(tracking);
				for (int h = 0; h < HOT; h++) {
					connection.sync().hmget(key(h), "v".getBytes(StandardCharsets.US_ASCII));
				}
			}
			long writes = 0;
			long start = System.nanoTime();
			long end = start + TURN.toNanos();
			while (System.nanoTime() < end) {
				List<CompletableFuture<Boolean>> batch = new ArrayList<>(100);
				for (int i = 0; i < 100; i++) {
					int index = ThreadLocalRandom.current().nextInt(KEYS);
					batch.add(writer.async()
						.hset(key(index), "v".getBytes(StandardCharsets.US_ASCII), VALUE)
						.toCompletableFuture());
				}
				CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
				writes += batch.size();
				List<CompletableFuture<?>> reads = new ArrayList<>();
				for (int i = 0; i < INSTANCES; i++) {
					byte[] again;
					while ((again = invalidated.get(i).poll()) != null) {
						reads.add(instances.get(i)
							.async()
							.hmget(again, "v".getBytes(StandardCharsets.US_ASCII))
							.toCompletableFuture());
					}
				}
				CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			// The pushes still on their way: wait until the count holds still.
			long seen;
			do {
				seen = invalidations.get();
				TimeUnit.MILLISECONDS.sleep(200);
			}
			while (invalidations.get() != seen);
			return new Result(writes / seconds, writes, seen / INSTANCES, messages.get() / INSTANCES);
		}
		finally {
			instances.forEach(StatefulRedisConnection::close);
		}
	}

	private static boolean isHot(byte[] key) {
		String name = new String(key, StandardCharsets.US_ASCII);
		return Integer.parseInt(name.substring("kv:bench:".length())) < HOT;
	}

	private static byte[] key(int index) {
		return ("kv:bench:" + index).getBytes(StandardCharsets.US_ASCII);
	}

	private record Result(double writesPerSecond, long writes, long invalidationsPerInstance,
			long messagesPerInstance) {
	}

}
