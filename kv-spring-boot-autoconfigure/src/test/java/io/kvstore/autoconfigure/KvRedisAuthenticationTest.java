package io.kvstore.autoconfigure;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;

import io.kvstore.KvKey;
import io.kvstore.KvNamespace;
import io.kvstore.KvType;
import io.kvstore.test.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A Redis with {@code requirepass}, and one whose ACL user may only touch {@code kv:*}
 * keys, configured through {@code spring.data.redis.*}; a wrong password fails calls with
 * a clear message (not start-up).
 */
class KvRedisAuthenticationTest {

	private static RedisServer redis;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				KvAutoConfiguration.class))
		.withPropertyValues("kv.stores.secure=", "spring.data.redis.timeout=2s");

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.start(List.of("--requirepass", "s3cret", "--user", "kvapp", "on", ">kvpass", "~kv:*",
				"+@all", "-@dangerous"));
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void aPasswordProtectedRedisWorksThroughSpringDataRedisProperties() {
		this.runner.withPropertyValues(address())
			.withPropertyValues("spring.data.redis.password=s3cret")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String before = restoreStats();
				exercise(context.getBean(KvNamespace.class));
				String after = restoreStats();
				// Puts without a time to live restore the whole entry in one command.
				// Counted from before: the server is shared with the other tests, in any
				// order.
				assertThat(restoreCount(after, "calls") - restoreCount(before, "calls")).as(after).isPositive();
				assertThat(restoreCount(after, "rejected_calls") - restoreCount(before, "rejected_calls")).as(after)
					.isZero();
				assertThat(restoreCount(after, "failed_calls") - restoreCount(before, "failed_calls")).as(after)
					.isZero();
			});
	}

	@Test
	void anAclUserLimitedToKvKeysIsEnough() {
		this.runner.withPropertyValues(address())
			.withPropertyValues("spring.data.redis.username=kvapp", "spring.data.redis.password=kvpass")
			.run((context) -> {
				String before = restoreStats();
				exercise(context.getBean(KvNamespace.class));
				// RESTORE is one of the @dangerous commands this user lacks: the first
				// put that would have used it learnt so and wrote with a script, as every
				// later one did.
				String after = restoreStats();
				assertThat(restoreCount(after, "rejected_calls") - restoreCount(before, "rejected_calls")).as(after)
					.isOne();
				// The ACL is in force: the same user may not touch other keys.
				RedisClient client = RedisClient.create(RedisURI.builder()
					.withHost(redis.host())
					.withPort(redis.port())
					.withAuthentication("kvapp", "kvpass")
					.build());
				try (StatefulRedisConnection<String, String> connection = client.connect()) {
					assertThatExceptionOfType(io.lettuce.core.RedisCommandExecutionException.class)
						.isThrownBy(() -> connection.sync().set("other:key", "v"))
						.withMessageContaining("NOPERM");
				}
				finally {
					client.shutdown();
				}
			});
	}

	@Test
	void aWrongPasswordFailsCallsWithAClearMessageButNotStartUp() {
		this.runner.withPropertyValues(address())
			.withPropertyValues("spring.data.redis.password=wrong")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				KvNamespace store = context.getBean(KvNamespace.class);
				assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> store.get("k"))
					.withMessageContaining("Cannot connect to Redis")
					.withMessageContaining("WRONGPASS");
			});
	}

	// The application's connections stay authenticated when the password changes; once
	// they drop, Lettuce's reconnects fail on it and the calls queued meanwhile time out.
	// They must say why, not only "timed out" (and recover once the password is back).
	@Test
	void aPasswordChangedAtRunTimeFailsCallsNamingTheRefusalOnceTheConnectionDrops() {
		try (RedisServer own = RedisServer.startProcess(List.of("--requirepass", "before"))) {
			RedisClient admin = RedisClient.create(RedisURI.builder()
				.withHost(own.host())
				.withPort(own.port())
				.withPassword("before".toCharArray())
				.build());
			try (StatefulRedisConnection<String, String> raw = admin.connect()) {
				this.runner
					.withPropertyValues("spring.data.redis.host=" + own.host(), "spring.data.redis.port=" + own.port(),
							"spring.data.redis.password=before")
					.run((context) -> {
						KvNamespace store = context.getBean(KvNamespace.class);
						store.put("k", "v");
						raw.sync().configSet("requirepass", "after");
						assertThat(raw.sync().clientKill(io.lettuce.core.KillArgs.Builder.typeNormal().skipme()))
							.isPositive();
						// The first calls may time out before the first reconnect failed.
						await().atMost(Duration.ofSeconds(30))
							.untilAsserted(() -> assertThatExceptionOfType(DataAccessException.class)
								.isThrownBy(() -> store.get("k"))
								.withMessageContaining(
										"Command timed out after PT2S while the connection to Redis is down")
								.withMessageContaining("WRONGPASS"));
						raw.sync().configSet("requirepass", "before");
						await().atMost(Duration.ofSeconds(30))
							.ignoreExceptions()
							.untilAsserted(() -> assertThat(store.get("k")).isEqualTo("v"));
					});
			}
			finally {
				admin.shutdown();
			}
		}
	}

	private static void exercise(KvNamespace store) throws Exception {
		store.put("k", "v");
		assertThat(store.get("k")).isEqualTo("v");
		// A value over the script limit is staged and renamed into place.
		String staged = "s".repeat(64 * 1024);
		store.put("k", staged);
		assertThat(store.get("k")).isEqualTo(staged);
		byte[] large = new byte[3 * 1024 * 1024 + 1];
		store.put("large", new ByteArrayInputStream(large));
		try (var in = store.get("large", KvType.STREAM)) {
			assertThat(in.readAllBytes()).hasSize(large.length);
		}
		assertThat(store.list().keys()).extracting(KvKey::name).containsExactly("k", "large");
		store.delete("k");
		store.delete("large");
		assertThat(store.list().keys()).isEmpty();
	}

	// The RESTORE line of INFO commandstats, read as the default user.
	private static String restoreStats() {
		RedisClient client = RedisClient.create(RedisURI.builder()
			.withHost(redis.host())
			.withPort(redis.port())
			.withPassword("s3cret".toCharArray())
			.build());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync()
				.info("commandstats")
				.lines()
				.filter((line) -> line.startsWith("cmdstat_restore:"))
				.findFirst()
				.orElse("");
		}
		finally {
			client.shutdown();
		}
	}

	// A counter of that line ("calls", "rejected_calls", "failed_calls"); 0 before the
	// first call.
	private static long restoreCount(String stats, String counter) {
		java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("[:,]" + counter + "=(\\d+)").matcher(stats);
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	private static String[] address() {
		return new String[] { "spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port() };
	}

}
