package io.kvstore.sample;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.kvstore.test.RedisServer;
import org.awaitility.Awaitility;

/**
 * Test Redis servers and polling.
 */
final class SampleTests {

	private SampleTests() {
	}

	/**
	 * Starts a real Redis (see {@link RedisServer}) that lives until the test JVM exits,
	 * so a cached application context never outlives its Redis.
	 */
	static RedisServer start() {
		RedisServer server = RedisServer.start();
		Runtime.getRuntime().addShutdownHook(new Thread(server::close));
		return server;
	}

	/**
	 * Waits until the app's kv health is up: with the short Redis timeouts of some tests,
	 * its first connection to Redis may time out on a loaded machine, which is no failure
	 * of what they test.
	 * @param http a client of the app
	 */
	static void awaitRedisReachable(TestHttp http) {
		await("the app reaches Redis (kv health up)", Duration.ofSeconds(30),
				() -> http.get("/actuator/health/kv").status() == 200);
	}

	/**
	 * Polls until the condition holds (with Awaitility), failing after the deadline;
	 * never a fixed sleep.
	 */
	static void await(String what, Duration deadline, BooleanSupplier condition) {
		Awaitility.await(what).atMost(deadline).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
	}

}
