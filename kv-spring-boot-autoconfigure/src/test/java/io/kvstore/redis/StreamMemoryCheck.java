package io.kvstore.redis;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

import io.kvstore.KvType;
import io.kvstore.core.KvStoreSettings;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Run in a JVM with a small fixed heap: puts generated streams of the given number of MiB
 * from the given number of threads at once and reads each back as a stream, comparing
 * checksums. Exits with 0 when every stream worked both ways; an implementation that held
 * a whole value, or more than its share per stream in flight, runs out of memory.
 * <p>
 * Arguments: host, port, MiB per stream, {@code cluster} or {@code single}, and the
 * number of concurrent streams (1 when left out).
 */
public final class StreamMemoryCheck {

	private StreamMemoryCheck() {
	}

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		long size = Long.parseLong(args[2]) * 1024 * 1024;
		boolean cluster = args.length > 3 && args[3].equals("cluster");
		int streams = (args.length > 4) ? Integer.parseInt(args[4]) : 1;
		AbstractRedisClient client = cluster ? RedisClusterClient.create(RedisURI.create(host, port))
				: RedisClient.create(RedisURI.create(host, port));
		ExecutorService threads = Executors.newFixedThreadPool(streams);
		try (KvRedisConnection connection = new KvRedisConnection(client)) {
			KvStoreSettings settings = KvStoreSettings.defaults("memory").withMaxValueSize((int) size + 1);
			RedisKvNamespace store = new RedisKvNamespace("memory", settings, connection, JsonMapper.builder().build());
			CyclicBarrier start = new CyclicBarrier(streams);
			List<Future<Long>> results = new ArrayList<>();
			for (int i = 0; i < streams; i++) {
				String key = "large-" + i;
				results.add(threads.submit(() -> {
					start.await();
					return putAndReadBack(store, key, size);
				}));
			}
			long total = 0;
			for (Future<Long> result : results) {
				total += result.get();
			}
			for (int i = 0; i < streams; i++) {
				store.delete("large-" + i);
			}
			Runtime runtime = Runtime.getRuntime();
			System.out.println("streamed " + total + " bytes in and out in " + streams + " streams; max heap "
					+ runtime.maxMemory() / (1024 * 1024) + " MiB");
		}
		finally {
			threads.shutdownNow();
			client.shutdown();
		}
	}

	private static long putAndReadBack(RedisKvNamespace store, String key, long size) throws Exception {
		CRC32 written = new CRC32();
		store.put(key, new CheckedInputStream(new StreamTest.CountingStream(size), written));
		CRC32 read = new CRC32();
		long count = 0;
		try (InputStream in = store.get(key, KvType.STREAM)) {
			byte[] buffer = new byte[64 * 1024];
			int n;
			while ((n = in.read(buffer)) != -1) {
				read.update(buffer, 0, n);
				count += n;
			}
		}
		if (count != size || read.getValue() != written.getValue()) {
			throw new IllegalStateException("mismatch in " + key + ": read " + count + " bytes of " + size);
		}
		return count;
	}

}
