package io.kvstore.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.kvstore.redis.KvRedisConnection;
import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
import io.kvstore.test.RedisServer;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis of a benchmark run and the two ways to reach it that the benchmarks compare:
 * a {@link RedisKvNamespace}, and raw Lettuce commands on the very same native connection
 * of the same {@link LettuceConnectionFactory}.
 * <p>
 * The address comes from the system property {@code kv.redis} ({@code host:port});
 * without it a {@code redis-server} is started on a free port for this JVM.
 */
final class BenchmarkRedis implements AutoCloseable {

	private static RedisServer started;

	final LettuceConnectionFactory factory;

	final KvRedisConnection connection;

	final RedisClusterAsyncCommands<byte[], byte[]> raw;

	private final LettuceConnection rawConnection;

	BenchmarkRedis() {
		this(null);
	}

	/**
	 * Connects, with a command listener on the client before any connection is opened (a
	 * listener only sees the connections opened after it was added).
	 */
	BenchmarkRedis(io.lettuce.core.event.command.@org.jspecify.annotations.Nullable CommandListener listener) {
		String[] address = address().split(":");
		this.factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(address[0], Integer.parseInt(address[1])),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(60)).build());
		this.factory.afterPropertiesSet();
		if (listener != null) {
			this.factory.getRequiredNativeClient().addListener(listener);
		}
		this.connection = new KvRedisConnection(this.factory);
		this.rawConnection = (LettuceConnection) this.factory.getConnection();
		this.raw = this.rawConnection.getNativeConnection();
	}

	/**
	 * The address of the Redis of this run: {@code kv.redis}, or a server started once
	 * per JVM.
	 */
	static synchronized String address() {
		String configured = System.getProperty("kv.redis");
		if (configured != null) {
			return configured;
		}
		if (started == null) {
			started = RedisServer.start();
			RedisServer server = started;
			Runtime.getRuntime().addShutdownHook(new Thread(server::close));
		}
		return started.host() + ":" + started.port();
	}

	RedisKvNamespace store(String name, KvStoreSettings settings) {
		return new RedisKvNamespace(name, settings, this.connection, JsonMapper.builder().build());
	}

	RedisKvNamespace store(String name, KvStoreSettings settings, KvNearCacheSettings nearCache) {
		return new RedisKvNamespace(name, settings, nearCache, this.connection, JsonMapper.builder().build(),
				Clock.systemUTC(), ObservationRegistry.NOOP);
	}

	static <T> T await(Future<T> future) {
		try {
			return future.get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.connection.close();
		this.rawConnection.close();
		this.factory.destroy();
	}

}
