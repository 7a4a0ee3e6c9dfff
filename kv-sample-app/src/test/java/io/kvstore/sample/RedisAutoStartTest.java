package io.kvstore.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import io.kvstore.sample.redis.LocalRedisServer;
import io.kvstore.test.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no Redis at the configured (loopback) address the app starts a local
 * {@code redis-server}, says so, uses it and stops it when it stops; with a Redis there,
 * or with {@code sample.redis.auto-start=false}, it starts nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisAutoStartTest {

	static final RedisServer REDIS = RedisServer.start();

	/**
	 * How long a PING may take: a running server answers at once, a stopped one refuses
	 * the connection at once; only a slow machine needs the rest, and then it must not
	 * make a running server look stopped (or fail to answer).
	 */
	static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

	@AfterAll
	static void stopRedis() {
		REDIS.close();
	}

	@Test
	void startsALocalRedisServerWhenNoneAnswersAndStopsItWithTheApp(CapturedOutput output) {
		int closedPort = closedPort();
		int startedPort;
		try (ConfigurableApplicationContext app = run("--server.port=0", "--spring.data.redis.port=" + closedPort)) {
			startedPort = app.getEnvironment().getRequiredProperty("spring.data.redis.port", Integer.class);
			assertThat(startedPort).isNotEqualTo(closedPort);
			assertThat(output).contains(
					"No Redis at localhost:" + closedPort + "; started a local redis-server on port " + startedPort);
			assertThat(LocalRedisServer.answersPing("127.0.0.1", startedPort, PING_TIMEOUT)).isTrue();

			TestHttp http = new TestHttp(app.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
			String id = http.post("/login", "{\"userId\":\"42\"}").json().get("sessionId").stringValue();
			assertThat(http.get("/me", "X-Session-Id", id).body()).isEqualTo("Welcome user 42");
		}
		SampleTests.await("the local redis-server stopped", Duration.ofSeconds(10),
				() -> !LocalRedisServer.answersPing("127.0.0.1", startedPort, PING_TIMEOUT));
	}

	@Test
	void usesTheConfiguredRedisWhenOneAnswers(CapturedOutput output) {
		try (ConfigurableApplicationContext app = run("--spring.main.web-application-type=none",
				"--spring.data.redis.host=" + REDIS.host(), "--spring.data.redis.port=" + REDIS.port())) {
			assertThat(app.getEnvironment().getProperty("spring.data.redis.port", Integer.class))
				.isEqualTo(REDIS.port());
			assertThat(output).doesNotContain("started a local redis-server");
		}
	}

	@Test
	void startsNothingWhenSwitchedOff(CapturedOutput output) {
		int closedPort = closedPort();
		try (ConfigurableApplicationContext app = run("--spring.main.web-application-type=none",
				"--spring.data.redis.port=" + closedPort, "--sample.redis.auto-start=false")) {
			assertThat(app.getEnvironment().getProperty("spring.data.redis.port", Integer.class)).isEqualTo(closedPort);
			assertThat(output).doesNotContain("started a local redis-server");
		}
	}

	@Test
	void thePackagedRedisServerRunsWhenNoneIsOnThePath() {
		String executable = LocalRedisServer.findExecutable("");
		assertThat(executable).doesNotEndWith("/usr/bin/redis-server").contains("redis-server");
		LocalRedisServer server = LocalRedisServer.start(executable);
		try {
			assertThat(LocalRedisServer.answersPing("127.0.0.1", server.port(), PING_TIMEOUT)).isTrue();
		}
		finally {
			server.stop();
		}
		assertThat(server.isRunning()).isFalse();
		assertThat(LocalRedisServer.answersPing("127.0.0.1", server.port(), PING_TIMEOUT)).isFalse();
	}

	private static ConfigurableApplicationContext run(String... args) {
		String[] common = { "--spring.main.banner-mode=off", "--sample.cleanup.enabled=false" };
		String[] all = new String[common.length + args.length];
		System.arraycopy(common, 0, all, 0, common.length);
		System.arraycopy(args, 0, all, common.length, args.length);
		return new SpringApplicationBuilder(KvSampleApplication.class).run(all);
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
