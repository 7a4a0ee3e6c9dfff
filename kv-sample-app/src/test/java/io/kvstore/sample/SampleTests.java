package io.kvstore.sample;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.kvstore.test.RedisServer;

/**
 * Test Redis servers and polling.
 */
final class SampleTests {

	private SampleTests() {
	}

	/**
	 * Starts a real Redis (see {@link RedisServer}) that lives until the test JVM exits, so a
	 * cached application context never outlives its Redis.
	 */
	static RedisServer start() {
		RedisServer server = RedisServer.start();
		Runtime.getRuntime().addShutdownHook(new Thread(server::close));
		return server;
	}

	/**
	 * Polls until the condition holds, failing after the deadline; never a fixed sleep.
	 */
	static void await(String what, Duration deadline, BooleanSupplier condition) {
		long end = System.nanoTime() + deadline.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("Timed out after " + deadline + " waiting until " + what);
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

}
