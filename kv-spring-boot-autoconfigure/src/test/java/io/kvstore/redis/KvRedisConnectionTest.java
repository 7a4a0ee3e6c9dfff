package io.kvstore.redis;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.kvstore.KvNamespace;
import io.kvstore.KvType;
import io.kvstore.core.KvStoreSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * The connection: built from Spring Data Redis' Lettuce connection factory, lazy, and
 * failing with Spring's {@link DataAccessException} hierarchy, never a silent null.
 */
class KvRedisConnectionTest extends AbstractKvTest {

	private io.kvstore.test.RedisServer server() {
		return (io.kvstore.test.RedisServer) this.redis;
	}

	@Test
	void aCallerInterruptedWhileTheFirstConnectionOpensLeavesNoConnectionBehind() throws Exception {
		long before = clients();
		io.lettuce.core.AbstractRedisClient client = this.redis.newClient();
		try {
			// New connections wait for their handshake while Redis is paused.
			this.redis.raw().clientPause(3000);
			KvRedisConnection connection = new KvRedisConnection(client);
			RedisKvNamespace store = new RedisKvNamespace("demo", KvStoreSettings.defaults("demo"), connection,
					this.jsonMapper);
			java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
			Thread caller = new Thread(() -> {
				try {
					store.get("k");
				}
				catch (Throwable ex) {
					failure.set(ex);
				}
			});
			caller.start();
			eventually(java.time.Duration.ofSeconds(10), () -> caller.getState() == Thread.State.WAITING);
			caller.interrupt();
			caller.join(10_000);
			assertThat(failure.get()).isInstanceOf(DataAccessException.class)
				.hasMessageContaining("Interrupted while connecting to Redis");
			// Once Redis answers, the connection that opened late is closed: only ours
			// are left.
			eventually(java.time.Duration.ofSeconds(20), () -> clients() == before);
			// The store connects again on its next call.
			assertThat(store.get("k")).isNull();
			connection.close();
		}
		finally {
			client.shutdown();
		}
	}

	private long clients() {
		return this.redis.raw().clientList().lines().filter((line) -> !line.isBlank()).count();
	}

	@Test
	void anErrorReplyOfRedisSaysItsReasonInTheMessage() {
		// A full Redis under noeviction refuses writes with OOM: the message says so.
		this.redis.raw().configSet("maxmemory", "1");
		this.redis.raw().configSet("maxmemory-policy", "noeviction");
		try {
			RedisKvNamespace store = (RedisKvNamespace) store("demo");
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> store.put("k", "v"))
				.withMessageStartingWith("Redis refused the command: OOM command not allowed");
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> store.put("big", new byte[EntryLayout.CHUNK_SIZE + 1]))
				.withMessageContaining("OOM command not allowed");
		}
		finally {
			this.redis.raw().configSet("maxmemory", "0");
		}
	}

	@Test
	void worksThroughALettuceConnectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.redis.host(), this.redis.port()));
		factory.afterPropertiesSet();
		try (KvRedisConnection connection = new KvRedisConnection(factory)) {
			RedisKvNamespace store = new RedisKvNamespace("demo", KvStoreSettings.defaults("demo"), connection,
					this.jsonMapper);
			store.put("k", "v");
			assertThat(store.get("k")).isEqualTo("v");
			assertThat(this.redis.raw().hget("kv:demo:k", "v")).isEqualTo("v");
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void refusesAConnectionFactoryThatIsNotLettuce() {
		RedisConnectionFactory other = (RedisConnectionFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { RedisConnectionFactory.class }, (proxy, method, args) -> null);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new KvRedisConnection(other))
			.withMessageContaining("KV stores need Spring Data Redis with Lettuce");
	}

	@Test
	void anUnreachableRedisFailsCallsNotConstructionAndIsRetriedLater() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		factory.afterPropertiesSet();
		try (KvRedisConnection connection = new KvRedisConnection(factory)) {
			RedisKvNamespace store = new RedisKvNamespace("demo", KvStoreSettings.defaults("demo"), connection,
					this.jsonMapper);
			assertThatExceptionOfType(RedisConnectionFailureException.class).isThrownBy(() -> store.get("k"));
			assertThatExceptionOfType(RedisConnectionFailureException.class).isThrownBy(() -> store.put("k", "v"));
			assertThatExceptionOfType(RedisConnectionFailureException.class).isThrownBy(store::list);
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void callsFailAndRecoverWhenRedisStopsAndComesBack() {
		org.junit.jupiter.api.Assumptions.assumeTrue(server().isProcess(), "needs a redis-server process");
		RedisClient client = RedisClient
			.create(RedisURI.builder(this.redis.uri()).withTimeout(Duration.ofSeconds(1)).build());
		try (KvRedisConnection connection = new KvRedisConnection(client)) {
			RedisKvNamespace store = new RedisKvNamespace("demo", KvStoreSettings.defaults("demo"), connection,
					this.jsonMapper);
			store.put("k", "v");
			server().stop();
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> store.get("k"));
			server().restart();
			await("a put worked again").atMost(Duration.ofSeconds(20))
				.ignoreExceptionsInstanceOf(DataAccessException.class)
				.untilAsserted(() -> store.put("k", "again"));
			assertThat(store.get("k")).isEqualTo("again");
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void aStalledRedisFailsWithinTheCommandTimeout() {
		Duration timeout = Duration.ofMillis(300);
		// Twice the timeout and a slack that a loaded machine does not use up, yet far
		// below the pause: a call that waited for Redis instead of timing out would still
		// be waiting.
		Duration deadline = timeout.multipliedBy(2).plusSeconds(5);
		// A Redis of its own, since it stays paused (CLIENT UNPAUSE would wait for the
		// pause too).
		try (io.kvstore.test.RedisServer stalled = io.kvstore.test.RedisServer.start()) {
			RedisClient client = RedisClient.create(RedisURI.builder(stalled.uri()).withTimeout(timeout).build());
			try (KvRedisConnection connection = new KvRedisConnection(client)) {
				RedisKvNamespace store = new RedisKvNamespace("demo", KvStoreSettings.defaults("demo"), connection,
						this.jsonMapper);
				store.put("k", "v");
				stalled.raw().clientPause(Duration.ofMinutes(1).toMillis());
				assertThat(CompletableFuture.supplyAsync(() -> store.get("k"))).failsWithin(deadline)
					.withThrowableOfType(ExecutionException.class)
					.withCauseInstanceOf(QueryTimeoutException.class);
			}
			finally {
				client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			}
		}
	}

	@Test
	void aRedisErrorSurfacesAsADataAccessException() {
		KvNamespace store = store("demo");
		this.redis.raw().set("kv:demo:not-a-hash", "someone else's string");
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> store.get("not-a-hash"))
			.havingRootCause()
			.withMessageContaining("WRONGTYPE");
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> store.get("not-a-hash", KvType.JSON));
		assertThat(this.redis.raw().get("kv:demo:not-a-hash")).isEqualTo("someone else's string");
		assertThatNoException().isThrownBy(() -> store.put("fine", "v"));
		// Keys under the store's prefix are the store's: a put replaces whatever is
		// there.
		store.put("not-a-hash", "v");
		assertThat(store.get("not-a-hash")).isEqualTo("v");
	}

	@Test
	void restoreFallsBackToScriptsOnlyWhenRedisRefusesRestoreItself() {
		assertThat(RedisErrors.refusesRestore(new RuntimeException(
				"NOPERM this user has no permissions to run the 'restore' command or its subcommand")))
			.isTrue();
		assertThat(RedisErrors
			.refusesRestore(new RuntimeException("NOPERM User kvapp has no permissions to run the 'restore' command")))
			.isTrue();
		assertThat(RedisErrors
			.refusesRestore(new RuntimeException("ERR unknown command 'RESTORE', with args beginning with: ")))
			.isTrue();
		assertThat(RedisErrors.refusesRestore(new RuntimeException("ERR DUMP payload version or checksum are wrong")))
			.isTrue();
		// A key the ACL denies, or a full Redis, is an error of the put, not of RESTORE.
		assertThat(RedisErrors.refusesRestore(new RuntimeException("NOPERM No permissions to access a key"))).isFalse();
		assertThat(RedisErrors
			.refusesRestore(new RuntimeException("OOM command not allowed when used memory > 'maxmemory'."))).isFalse();
	}

}
