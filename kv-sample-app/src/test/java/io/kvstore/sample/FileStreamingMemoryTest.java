package io.kvstore.sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.kvstore.test.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 20 MiB file goes up and comes back through an app whose heap holds {@value #HEAP}:
 * enough for the app and its streaming buffers, not for the file twice (the JVM exits on
 * {@code OutOfMemoryError}, so buffering fails the test instead of slowing it). The app
 * runs in its own JVM from the test classpath.
 */
class FileStreamingMemoryTest {

	private static final String HEAP = "48m";

	private static final int SIZE = 20 * 1024 * 1024;

	static final RedisServer REDIS = RedisServer.start();

	static Process app;

	static Path log;

	static int port;

	@BeforeAll
	static void startApp() throws IOException {
		port = freePort();
		log = Path.of("target", "file-streaming-memory-test-app.log").toAbsolutePath();
		Files.createDirectories(log.getParent());
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-Xmx" + HEAP, "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1",
				"-cp", System.getProperty("java.class.path"), KvSampleApplication.class.getName(),
				"--server.port=" + port, "--spring.data.redis.host=" + REDIS.host(),
				"--spring.data.redis.port=" + REDIS.port(), "--sample.redis.auto-start=false",
				"--sample.cleanup.enabled=false", "--spring.main.banner-mode=off");
		app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		TestHttp http = new TestHttp(port);
		SampleTests.await("the app answers on port " + port, Duration.ofSeconds(90), () -> {
			assertThat(app.isAlive()).as("the app exited; see %s", log).isTrue();
			try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				return false; // nothing listens yet
			}
			catch (IOException listening) {
				return http.get("/kv").status() == 200;
			}
		});
	}

	@AfterAll
	static void stopApp() throws InterruptedException {
		if (app != null) {
			app.destroy();
			if (!app.waitFor(20, TimeUnit.SECONDS)) {
				app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		REDIS.close();
	}

	@Test
	void aTwentyMebibyteFileStreamsUpAndDownInASmallHeap() throws Exception {
		TestHttp http = new TestHttp(port);
		MessageDigest sent = sha256();
		TestHttp.Response upload = http.put("/files/big.bin",
				BodyPublishers.fromPublisher(BodyPublishers
					.ofInputStream(() -> new DigestInputStream(new PseudoRandomInputStream(SIZE), sent)), SIZE),
				"Content-Type", "application/x-test");
		assertThat(upload.status()).as("upload: %s; see %s", upload.body(), log).isEqualTo(201);
		assertThat(upload.json().get("size").longValue()).isEqualTo(SIZE);

		MessageDigest received = sha256();
		HttpResponse<InputStream> download = http.client()
			.send(http.request("/files/big.bin").GET().build(), BodyHandlers.ofInputStream());
		long length;
		try (InputStream body = new DigestInputStream(download.body(), received)) {
			length = body.transferTo(java.io.OutputStream.nullOutputStream());
		}
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(download.headers().firstValue("Content-Type")).hasValue("application/x-test");
		assertThat(download.headers().firstValue("Content-Length")).hasValue(Integer.toString(SIZE));
		assertThat(length).isEqualTo(SIZE);
		assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
		assertThat(app.isAlive()).as("the app is still running; see %s", log).isTrue();
	}

	private static MessageDigest sha256() throws NoSuchAlgorithmException {
		return MessageDigest.getInstance("SHA-256");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * A given number of pseudo-random bytes, made as they are read.
	 */
	static final class PseudoRandomInputStream extends InputStream {

		private final Random random = new Random(20);

		private long remaining;

		PseudoRandomInputStream(long size) {
			this.remaining = size;
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xFF);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.remaining == 0) {
				return -1;
			}
			int n = (int) Math.min(length, this.remaining);
			byte[] chunk = new byte[n];
			this.random.nextBytes(chunk);
			System.arraycopy(chunk, 0, buffer, offset, n);
			this.remaining -= n;
			return n;
		}

	}

}
