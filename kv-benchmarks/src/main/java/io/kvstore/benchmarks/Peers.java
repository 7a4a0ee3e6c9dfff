package io.kvstore.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.redisson.Redisson;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.codec.TypedJsonJacksonCodec;
import org.redisson.config.Config;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * What a Spring developer would pick instead of {@code KvNamespace}, on the Redis of the
 * run, each with connections of its own, as configured out of the box apart from what is
 * said here:
 * <ul>
 * <li>Redisson: an {@code RBucket} per key holding one JSON {@link Document} (value and
 * metadata) with {@code TypedJsonJacksonCodec} (no class names in the JSON); a put with a
 * time to live is {@code set(document, Duration)}, one {@code PSETEX}.</li>
 * <li>Spring Data Redis: a {@code RedisTemplate<String, byte[]>} over its own
 * {@code LettuceConnectionFactory} with a commons-pool2 pool of up to {@value #POOL}
 * dedicated connections (one per benchmark thread, so no thread waits for one); plain
 * commands go over the factory's shared connection, transactions and pipelines over a
 * pooled one. An entry is a hash with fields {@code v} (value) and {@code m} (metadata
 * JSON).</li>
 * </ul>
 * The metadata JSON of the Spring Data Redis side is encoded once, as the raw baseline's
 * is (what KV and Redisson encode per put).
 */
final class Peers implements AutoCloseable {

	static final int POOL = 64;

	static final String VALUE = "v";

	static final String METADATA = "m";

	private static final List<String> VALUE_ONLY = List.of(VALUE);

	private static final List<String> VALUE_AND_METADATA = List.of(VALUE, METADATA);

	final RedissonClient redisson;

	final TypedJsonJacksonCodec codec = new TypedJsonJacksonCodec(Document.class);

	private final LettuceConnectionFactory pooledFactory;

	final RedisTemplate<String, byte[]> template;

	Peers(String address) {
		this(address, null);
	}

	/**
	 * With a command listener on the Spring Data Redis side's client, to count its round
	 * trips.
	 */
	Peers(String address, io.lettuce.core.event.command.@org.jspecify.annotations.Nullable CommandListener listener) {
		Config config = new Config();
		config.useSingleServer().setAddress("redis://" + address).setTimeout(60_000);
		this.redisson = Redisson.create(config);
		String[] hostAndPort = address.split(":");
		GenericObjectPoolConfig<io.lettuce.core.api.StatefulConnection<?, ?>> pool = new GenericObjectPoolConfig<>();
		pool.setMaxTotal(POOL);
		pool.setMaxIdle(POOL);
		this.pooledFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(hostAndPort[0], Integer.parseInt(hostAndPort[1])),
				LettucePoolingClientConfiguration.builder()
					.poolConfig(pool)
					.commandTimeout(Duration.ofSeconds(60))
					.build());
		this.pooledFactory.afterPropertiesSet();
		if (listener != null) {
			this.pooledFactory.getRequiredNativeClient().addListener(listener);
		}
		this.template = new RedisTemplate<>();
		this.template.setConnectionFactory(this.pooledFactory);
		this.template.setKeySerializer(RedisSerializer.string());
		this.template.setValueSerializer(RedisSerializer.byteArray());
		this.template.setHashKeySerializer(RedisSerializer.string());
		this.template.setHashValueSerializer(RedisSerializer.byteArray());
		this.template.afterPropertiesSet();
	}

	/**
	 * The value and metadata of one entry, as Redisson's JSON codec stores them (the
	 * value in base64).
	 */
	public static final class Document {

		public byte[] value;

		public Map<String, Object> metadata;

		public Document() {
		}

		Document(byte[] value, Map<String, Object> metadata) {
			this.value = value;
			this.metadata = metadata;
		}

	}

	RBucket<Document> bucket(String key) {
		return this.redisson.getBucket(key, this.codec);
	}

	// ---- Spring Data Redis ----

	/**
	 * {@code MULTI}, {@code DEL}, {@code HSET v m}, {@code PEXPIRE}, {@code EXEC} on a
	 * pooled connection.
	 */
	List<Object> sdrPutAtomic(String key, Map<String, byte[]> fields, long ttlMillis) {
		return this.template.execute(new SessionCallback<List<Object>>() {
			@Override
			@SuppressWarnings("unchecked")
			public <K, V> List<Object> execute(RedisOperations<K, V> operations) {
				RedisOperations<String, byte[]> ops = (RedisOperations<String, byte[]>) operations;
				ops.multi();
				writeEntry(ops, key, fields, ttlMillis);
				return ops.exec();
			}
		});
	}

	/**
	 * The same commands without {@code MULTI}/{@code EXEC}, pipelined on a pooled
	 * connection.
	 */
	List<Object> sdrPutPipelined(String key, Map<String, byte[]> fields, long ttlMillis) {
		return this.template.executePipelined(new SessionCallback<Object>() {
			@Override
			@SuppressWarnings("unchecked")
			public <K, V> Object execute(RedisOperations<K, V> operations) {
				writeEntry((RedisOperations<String, byte[]>) operations, key, fields, ttlMillis);
				return null;
			}
		});
	}

	private static void writeEntry(RedisOperations<String, byte[]> ops, String key, Map<String, byte[]> fields,
			long ttlMillis) {
		ops.delete(key);
		ops.<String, byte[]>opsForHash().putAll(key, fields);
		ops.expire(key, ttlMillis, TimeUnit.MILLISECONDS);
	}

	/** {@code HMGET key v}. */
	byte[] sdrGet(String key) {
		return this.template.<String, byte[]>opsForHash().multiGet(key, VALUE_ONLY).get(0);
	}

	/** {@code HMGET key v m}. */
	List<byte[]> sdrGetWithMetadata(String key) {
		return this.template.<String, byte[]>opsForHash().multiGet(key, VALUE_AND_METADATA);
	}

	/** {@code DEL key}. */
	Boolean sdrDelete(String key) {
		return this.template.delete(key);
	}

	/**
	 * Every key matching a pattern with its metadata and time to live:
	 * {@code SCAN MATCH COUNT
	 * 1000}, then per batch of 1000 keys a pipeline of {@code HMGET key m} and
	 * {@code PTTL key}.
	 * @return how many keys were found with their hash still there
	 */
	int sdrList(String pattern) {
		int listed = 0;
		try (Cursor<String> keys = this.template.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
			List<String> batch = new ArrayList<>(1000);
			while (keys.hasNext()) {
				batch.add(keys.next());
				if (batch.size() == 1000 || !keys.hasNext()) {
					listed += sdrDescribe(batch);
					batch.clear();
				}
			}
		}
		return listed;
	}

	private int sdrDescribe(List<String> keys) {
		List<Object> replies = this.template.executePipelined((RedisCallback<Object>) (connection) -> {
			for (String key : keys) {
				byte[] raw = key.getBytes(StandardCharsets.UTF_8);
				connection.hashCommands().hMGet(raw, METADATA.getBytes(StandardCharsets.US_ASCII));
				connection.keyCommands().pTtl(raw);
			}
			return null;
		});
		int found = 0;
		for (int i = 1; i < replies.size(); i += 2) {
			if ((Long) replies.get(i) != -2) {
				found++;
			}
		}
		return found;
	}

	// ---- Redisson ----

	/**
	 * Every key matching a pattern with its document and time to live: Redisson's key
	 * scan ({@code SCAN MATCH COUNT 1000}), then per batch of 1000 keys one
	 * {@code RBatch} of {@code GET} (the whole document: there is no metadata without the
	 * value) and {@code PTTL}.
	 * @return how many keys were found with their document
	 */
	int redissonList(String pattern) {
		int listed = 0;
		List<String> batch = new ArrayList<>(1000);
		for (String key : this.redisson.getKeys()
			.getKeys(KeysScanOptions.defaults().pattern(pattern).chunkSize(1000))) {
			batch.add(key);
			if (batch.size() == 1000) {
				listed += redissonDescribe(batch);
				batch.clear();
			}
		}
		if (!batch.isEmpty()) {
			listed += redissonDescribe(batch);
		}
		return listed;
	}

	private int redissonDescribe(List<String> keys) {
		RBatch batch = this.redisson.createBatch();
		Map<RFuture<Document>, RFuture<Long>> reads = new LinkedHashMap<>();
		for (String key : keys) {
			reads.put(batch.<Document>getBucket(key, this.codec).getAsync(),
					batch.getBucket(key).remainTimeToLiveAsync());
		}
		batch.execute();
		int found = 0;
		for (Map.Entry<RFuture<Document>, RFuture<Long>> read : reads.entrySet()) {
			if (read.getKey().toCompletableFuture().join() != null
					&& read.getValue().toCompletableFuture().join() != -2) {
				found++;
			}
		}
		return found;
	}

	@Override
	public void close() {
		this.redisson.shutdown(0, 5, TimeUnit.SECONDS);
		this.pooledFactory.destroy();
	}

}
