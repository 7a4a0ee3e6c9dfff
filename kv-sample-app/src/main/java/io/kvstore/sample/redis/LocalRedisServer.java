package io.kvstore.sample.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import redis.embedded.core.ExecutableProvider;

/**
 * A {@code redis-server} process on a free loopback port, without persistence, in a
 * temporary directory: the one on the {@code PATH}, else the binary packaged in
 * {@code com.github.codemonstur:embedded-redis} for this operating system.
 */
public final class LocalRedisServer {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

	private final String executable;

	private final int port;

	private final Path directory;

	private final Process process;

	private final Thread shutdownHook;

	private LocalRedisServer(String executable, int port, Path directory, Process process) {
		this.executable = executable;
		this.port = port;
		this.directory = directory;
		this.process = process;
		this.shutdownHook = new Thread(this::stop, "stop-local-redis-server-" + port);
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Whether a Redis answers {@code PING} at an address (a password-protected one
	 * answers with an error, which counts).
	 * @param host the host
	 * @param port the port
	 * @param timeout how long to wait to connect and for the answer
	 * @return {@code true} when something answered like Redis
	 */
	public static boolean answersPing(String host, int port, Duration timeout) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			int first = socket.getInputStream().read();
			return first == '+' || first == '-';
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * The {@code redis-server} to start: the first one on the given search path, else the
	 * packaged one.
	 * @param searchPath directories separated by {@link File#pathSeparator}, like
	 * {@code PATH}
	 * @return the executable's path
	 * @throws IllegalStateException when there is neither
	 */
	public static String findExecutable(@Nullable String searchPath) {
		String name = System.getProperty("os.name", "").startsWith("Windows") ? "redis-server.exe" : "redis-server";
		if (searchPath != null) {
			for (String directory : searchPath.split(File.pathSeparator)) {
				File candidate = new File(directory, name);
				if (!directory.isEmpty() && candidate.isFile() && candidate.canExecute()) {
					return candidate.getAbsolutePath();
				}
			}
		}
		return packagedExecutable();
	}

	/**
	 * Extracts the {@code redis-server} that embedded-redis packages for this operating
	 * system.
	 * @return the executable's path
	 * @throws IllegalStateException when none fits this machine
	 */
	public static String packagedExecutable() {
		try {
			return ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("No redis-server on the PATH and no packaged one for this machine ("
					+ System.getProperty("os.name") + ", " + System.getProperty("os.arch") + "): install Redis, or "
					+ "configure spring.data.redis.host and spring.data.redis.port", ex);
		}
	}

	/**
	 * Starts a server on a free loopback port.
	 * @param executable the {@code redis-server} to run
	 * @return the running server
	 */
	public static LocalRedisServer start(String executable) {
		Path directory;
		try {
			directory = Files.createTempDirectory("kv-sample-redis-");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot create a directory for redis-server", ex);
		}
		IllegalStateException failure = null;
		for (int attempt = 0; attempt < 3; attempt++) { // another process may take the
														// free port first
			int port = freePort();
			try {
				return new LocalRedisServer(executable, port, directory, launch(executable, port, directory));
			}
			catch (IllegalStateException ex) {
				failure = ex;
			}
		}
		deleteRecursively(directory);
		throw failure;
	}

	private static Process launch(String executable, int port, Path directory) {
		List<String> command = List.of(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save",
				"", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no", "--dir", directory.toString(),
				"--logfile", directory.resolve("redis.log").toString());
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(directory.resolve("redis.out").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + executable, ex);
		}
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException(
						"redis-server exited with " + process.exitValue() + " on port " + port + "; see " + directory);
			}
			if (answersPing("127.0.0.1", port, Duration.ofMillis(500))) {
				return process;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		process.destroyForcibly();
		throw new IllegalStateException("redis-server did not answer on port " + port + " within " + START_TIMEOUT);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No free port for redis-server", ex);
		}
	}

	public int port() {
		return this.port;
	}

	public String executable() {
		return this.executable;
	}

	public boolean isRunning() {
		return this.process.isAlive();
	}

	/**
	 * Stops the server and deletes its directory. Does nothing the second time.
	 */
	public synchronized void stop() {
		if (this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is shutting down: this is the hook
		}
		deleteRecursively(this.directory);
	}

	private static void deleteRecursively(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory: left for the operating system
		}
	}

	@Override
	public String toString() {
		return "redis-server on 127.0.0.1:" + this.port + " (" + this.executable + ")";
	}

}
