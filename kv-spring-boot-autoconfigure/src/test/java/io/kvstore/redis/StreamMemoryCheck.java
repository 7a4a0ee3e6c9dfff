package io.kvstore.redis;

import io.kvstore.core.KvStoreSettings;
import java.io.InputStream;
import java.util.zip.CRC32;

import io.kvstore.KvType;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import tools.jackson.databind.json.JsonMapper;

/**
 * Run in a JVM with a heap smaller than the value: puts a generated stream of the given
 * number of MiB and reads it back as a stream, comparing checksums. Exits with 0 when
 * both directions worked; an implementation that held the whole value would run out of
 * memory.
 */
public final class StreamMemoryCheck {

	private StreamMemoryCheck() {
	}

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		long size = Long.parseLong(args[2]) * 1024 * 1024;
		boolean cluster = args.length > 3 && args[3].equals("cluster");
		io.lettuce.core.AbstractRedisClient client = cluster
				? io.lettuce.core.cluster.RedisClusterClient.create(RedisURI.create(host, port))
				: RedisClient.create(RedisURI.create(host, port));
		try (KvRedisConnection connection = new KvRedisConnection(client)) {
			KvStoreSettings settings = KvStoreSettings.defaults("memory").withMaxValueSize((int) size + 1);
			RedisKvNamespace store = new RedisKvNamespace("memory", settings, connection, JsonMapper.builder().build());
			StreamTest.CountingStream source = new StreamTest.CountingStream(size);
			CRC32 written = new CRC32();
			InputStream checked = new java.util.zip.CheckedInputStream(source, written);
			store.put("large", checked);
			CRC32 read = new CRC32();
			long count = 0;
			try (InputStream in = store.get("large", KvType.STREAM)) {
				byte[] buffer = new byte[64 * 1024];
				int n;
				while ((n = in.read(buffer)) != -1) {
					read.update(buffer, 0, n);
					count += n;
				}
			}
			if (count != size || read.getValue() != written.getValue()) {
				System.out.println("mismatch: read " + count + " bytes");
				System.exit(1);
			}
			Runtime runtime = Runtime.getRuntime();
			System.out.println("streamed " + count + " bytes in and out; max heap "
					+ runtime.maxMemory() / (1024 * 1024) + " MiB");
		}
		finally {
			client.shutdown();
		}
	}

}
