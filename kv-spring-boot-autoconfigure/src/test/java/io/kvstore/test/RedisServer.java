package io.kvstore.test;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A real Redis for tests: a Testcontainers {@code redis:7} container when Docker is
 * available, otherwise a {@code redis-server} process on a free loopback port, without
 * persistence, in a temporary directory. {@code KV_TEST_REDIS=process} or {@code docker}
 * forces one of the two. The process runs {@code KV_REDIS_SERVER}, else the
 * {@code redis-server} on the {@code PATH}, else (said once in the build's output) the
 * Redis 6.2.6 packaged in {@code embedded-redis}, so that a machine with only Java runs
 * the tests; {@code KV_REDIS_SERVER=packaged} chooses that one.
 */
public final class RedisServer implements TestRedis, AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private final String host;

	private final int port;

	private final List<String> extraArguments;

	// Arguments right after the executable: a configuration file, --sentinel.
	private List<String> leadingArguments = List.of();

	private final Path directory;

	private final GenericContainer<?> container;

	private Process process;

	private String executable;

	private RedisClient client;

	private StatefulRedisConnection<String, String> text;

	private StatefulRedisConnection<byte[], byte[]> binary;

	private RedisServer(String host, int port, List<String> extraArguments, Path directory,
			GenericContainer<?> container, Process process) {
		this.host = host;
		this.port = port;
		this.extraArguments = extraArguments;
		this.directory = directory;
		this.container = container;
		this.process = process;
	}

	/**
	 * Starts a Redis with no extra configuration.
	 * @return the running server
	 */
	public static RedisServer start() {
		return start(List.of());
	}

	/**
	 * Starts a Redis with extra {@code redis-server} arguments such as
	 * {@code --requirepass secret}.
	 * @param extraArguments the arguments
	 * @return the running server
	 */
	public static RedisServer start(List<String> extraArguments) {
		String mode = System.getenv().getOrDefault("KV_TEST_REDIS", "auto");
		if (mode.equals("docker") || (mode.equals("auto") && dockerAvailable())) {
			return startContainer(extraArguments);
		}
		return startProcess(extraArguments);
	}

	private static boolean dockerAvailable() {
		boolean socket = new File("/var/run/docker.sock").exists() || System.getenv("DOCKER_HOST") != null
				|| new File(System.getProperty("user.home"), ".testcontainers.properties").exists();
		if (!socket) {
			return false;
		}
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	@SuppressWarnings("resource")
	private static RedisServer startContainer(List<String> extraArguments) {
		List<String> command = new ArrayList<>(List.of("redis-server", "--save", "", "--appendonly", "no"));
		command.addAll(extraArguments);
		GenericContainer<?> container = new GenericContainer<>("redis:7").withExposedPorts(6379)
			.withCommand(command.toArray(String[]::new));
		container.start();
		return new RedisServer(container.getHost(), container.getMappedPort(6379), extraArguments, null, container,
				null);
	}

	private static final java.util.Map<ServerBinary, RedisServer> shared = new java.util.EnumMap<>(ServerBinary.class);

	private static final java.util.Map<ServerBinary, IllegalStateException> sharedFailures = new java.util.EnumMap<>(
			ServerBinary.class);

	/**
	 * A Redis 6.2 process shared by the tests of this JVM, from the binary that the
	 * {@code embedded-redis} artifact packages (Linux x86-64 only).
	 * @return the running server
	 */
	public static RedisServer redis62() {
		return shared(ServerBinary.REDIS_6_2);
	}

	/**
	 * A process of the given server shared by the tests of this JVM, started on first use
	 * on a free loopback port and stopped when the JVM exits. It checks that the server
	 * is the version it stands for.
	 * @param binary the server
	 * @return the running server
	 * @throws IllegalStateException when the server is missing or is another version
	 */
	public static synchronized RedisServer shared(ServerBinary binary) {
		RedisServer server = shared.get(binary);
		if (server != null) {
			return server;
		}
		IllegalStateException failure = sharedFailures.get(binary);
		if (failure != null) { // not started anew for every test
			throw new IllegalStateException(failure.getMessage(), failure);
		}
		try {
			server = startProcess(binary.executable(), List.of());
		}
		catch (IllegalStateException ex) {
			sharedFailures.put(binary, ex);
			throw ex;
		}
		String versions = server.raw()
			.info("server")
			.lines()
			.filter((line) -> line.startsWith("redis_version:") || line.startsWith("valkey_version:"))
			.collect(java.util.stream.Collectors.joining(", "));
		if (!versions.contains(binary.versionLine())) {
			server.close();
			failure = new IllegalStateException(binary.label() + " expected (" + binary.versionLine() + "), but "
					+ server.executable + " is " + versions);
			sharedFailures.put(binary, failure);
			throw failure;
		}
		shared.put(binary, server);
		Runtime.getRuntime().addShutdownHook(new Thread(server::close, binary.name() + "-stop"));
		return server;
	}

	/**
	 * Whether {@link #redis62()} can run here.
	 * @return {@code true} on Linux x86-64 with the binary on the class path
	 */
	public static boolean isRedis62Available() {
		return ServerBinary.REDIS_6_2.isAvailable();
	}

	/**
	 * The major version of this server, from {@code INFO server}.
	 * @return such as 6 or 7
	 */
	public int majorVersion() {
		String info = raw().info("server");
		String version = info.substring(info.indexOf("redis_version:") + 14).split("[.\r\n]")[0];
		return Integer.parseInt(version);
	}

	private Boolean hasPexpiretime;

	/**
	 * Whether this server has {@code PEXPIRETIME}: Redis 7 and later, and Valkey (which
	 * reports {@code redis_version:7.2.4}).
	 * @return {@code false} on Redis 6.2
	 */
	@Override
	public synchronized boolean hasPexpiretime() {
		if (this.hasPexpiretime == null) {
			this.hasPexpiretime = majorVersion() >= 7;
		}
		return this.hasPexpiretime;
	}

	/**
	 * Starts a {@code redis-server} process (never a container, so that it can be
	 * stopped, killed and restarted on its port), with extra arguments.
	 * @param extraArguments the arguments
	 * @return the running server
	 */
	public static RedisServer startProcess(List<String> extraArguments) {
		return startProcess(findRedisServer(), List.of(), extraArguments);
	}

	/**
	 * Starts a Redis Sentinel: {@code redis-server <configuration> --sentinel} on a free
	 * loopback port. Sentinel rewrites its configuration file, which must be writable.
	 * @param configuration the sentinel's configuration file
	 * @return the running sentinel
	 */
	public static RedisServer startSentinel(Path configuration) {
		return startProcess(findRedisServer(), List.of(configuration.toString(), "--sentinel"), List.of());
	}

	private static RedisServer startProcess(String executable, List<String> extraArguments) {
		return startProcess(executable, List.of(), extraArguments);
	}

	private static RedisServer startProcess(String executable, List<String> leadingArguments,
			List<String> extraArguments) {
		Path directory;
		try {
			directory = Files.createTempDirectory("kv-redis-");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot create a directory for redis-server", ex);
		}
		IllegalStateException last = null;
		for (int attempt = 0; attempt < 5; attempt++) {
			int port = freePort(extraArguments.contains("--cluster-enabled"));
			RedisServer server = new RedisServer("127.0.0.1", port, extraArguments, directory, null, null);
			try {
				server.executable = executable;
				server.leadingArguments = leadingArguments;
				server.process = server.launch(executable);
				return server;
			}
			catch (IllegalStateException ex) {
				last = ex;
			}
		}
		throw last;
	}

	private Process launch(String executable) {
		List<String> command = new ArrayList<>(List.of(executable));
		command.addAll(this.leadingArguments);
		command.addAll(List.of("--port", Integer.toString(this.port), "--bind", "127.0.0.1", "--save", "",
				"--appendonly", "no", "--protected-mode", "no", "--daemonize", "no", "--dir", this.directory.toString(),
				"--logfile", this.directory.resolve("redis-" + this.port + ".log").toString()));
		command.addAll(this.extraArguments);
		Process started;
		try {
			started = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis-" + this.port + ".out").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start " + executable, ex);
		}
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!started.isAlive()) {
				throw new IllegalStateException("redis-server exited with " + started.exitValue() + " on port "
						+ this.port + "; see " + this.directory);
			}
			try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), this.port)) {
				return started;
			}
			catch (IOException ex) {
				pause();
			}
		}
		started.destroyForcibly();
		throw new IllegalStateException(
				"redis-server did not accept connections on port " + this.port + " within " + START_TIMEOUT);
	}

	private static void pause() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String foundRedisServer;

	// The redis-server of KV_REDIS_SERVER or the PATH, else the packaged Redis 6.2, said
	// once.
	private static synchronized String findRedisServer() {
		if (foundRedisServer == null) {
			foundRedisServer = locateRedisServer();
		}
		return foundRedisServer;
	}

	private static String locateRedisServer() {
		String configured = System.getenv("KV_REDIS_SERVER");
		if (configured != null && configured.equals("packaged")) {
			return packagedRedisServer("KV_REDIS_SERVER=packaged");
		}
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		List<String> candidates = new ArrayList<>();
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (!dir.isEmpty()) {
				candidates.add(dir + File.separator + "redis-server");
			}
		}
		for (String candidate : candidates) {
			File file = new File(candidate);
			if (file.isFile() && file.canExecute()) {
				return candidate;
			}
		}
		if (ServerBinary.REDIS_6_2.isAvailable()) {
			return packagedRedisServer("No redis-server on the PATH");
		}
		throw new IllegalStateException("No Redis for the tests: Docker is not available, no redis-server was found "
				+ "on the PATH, and the Redis 6.2 that embedded-redis packages runs on Linux x86-64 only. Install one "
				+ "(Debian/Ubuntu: 'apt-get install redis-server', macOS: 'brew install redis'), set KV_REDIS_SERVER "
				+ "to its path, or start Docker.");
	}

	private static String packagedRedisServer(String why) {
		String executable = ServerBinary.REDIS_6_2.executable();
		announce(why + ": the tests use the Redis 6.2.6 packaged in embedded-redis (" + executable + "); "
				+ "install Redis 7 or newer (Debian/Ubuntu: 'apt-get install redis-server') to test on it");
		return executable;
	}

	/**
	 * Says something where the build's output shows it: on the JVM's own standard error,
	 * which Surefire prints as it is (System.err would go to the test's report file).
	 */
	static void announce(String message) {
		try {
			java.io.PrintStream console = new java.io.PrintStream(
					new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
					java.nio.charset.StandardCharsets.UTF_8);
			console.println(message);
			console.flush();
		}
		catch (RuntimeException ex) {
			System.err.println(message);
		}
	}

	// A free loopback port; for a cluster node one whose cluster bus port (10000 higher)
	// is free too, so that nodes of two test runs on one machine never share a bus.
	private static int freePort(boolean withClusterBus) {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = freePort();
			if (!withClusterBus || (port + 10000 <= 65535 && isFree(port + 10000))) {
				return port;
			}
		}
		throw new IllegalStateException("No free port with a free cluster bus port");
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No free port", ex);
		}
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Stops a {@code redis-server} process, keeping its port and directory for
	 * {@link #restart()}.
	 */
	public synchronized void stop() {
		requireProcess();
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Kills a {@code redis-server} process at once ({@code SIGKILL}), as a crash would,
	 * keeping its port and directory (and so its append-only file) for
	 * {@link #restart()}.
	 */
	public synchronized void kill() {
		requireProcess();
		try {
			this.process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Starts a stopped {@code redis-server} process again on the same port.
	 */
	public synchronized void restart() {
		requireProcess();
		this.process = launch(this.executable);
	}

	/**
	 * Whether this Redis is a process the tests can stop and restart on the same port.
	 * @return {@code true} for a process, {@code false} for a container
	 */
	public boolean isProcess() {
		return this.container == null;
	}

	private void requireProcess() {
		if (this.container != null) {
			throw new IllegalStateException("Only a redis-server process can be stopped and restarted on its port");
		}
	}

	@Override
	public boolean isCluster() {
		return false;
	}

	@Override
	public RedisClient newClient() {
		return RedisClient.create(uri());
	}

	@Override
	public long commandCalls(String command) {
		return TestRedis.commandCalls(raw().info("commandstats"), command);
	}

	@Override
	public String host() {
		return this.host;
	}

	@Override
	public int port() {
		return this.port;
	}

	/**
	 * The address as a Redis URI, for clients under test.
	 * @return {@code redis://host:port}
	 */
	@Override
	public RedisURI uri() {
		return RedisURI.builder().withHost(this.host).withPort(this.port).withTimeout(Duration.ofSeconds(10)).build();
	}

	/**
	 * A raw client of this server, for checks that do not go through the code under test.
	 * @return the synchronous string commands of a shared connection
	 */
	@Override
	public synchronized io.lettuce.core.api.sync.RedisCommands<String, String> raw() {
		if (this.text == null) {
			this.text = client().connect();
		}
		return this.text.sync();
	}

	/**
	 * A raw binary client of this server.
	 * @return the synchronous binary commands of a shared connection
	 */
	@Override
	public synchronized io.lettuce.core.api.sync.RedisCommands<byte[], byte[]> rawBinary() {
		if (this.binary == null) {
			this.binary = client().connect(ByteArrayCodec.INSTANCE);
		}
		return this.binary.sync();
	}

	/**
	 * A new Lettuce client of this server; the server closes it when it stops.
	 * @return the client
	 */
	@Override
	public synchronized RedisClient client() {
		if (this.client == null) {
			this.client = RedisClient.create(uri());
		}
		return this.client;
	}

	/**
	 * Deletes every key.
	 */
	@Override
	public void flushAll() {
		raw().flushall();
	}

	@Override
	public synchronized void close() {
		if (this.text != null) {
			this.text.close();
		}
		if (this.binary != null) {
			this.binary.close();
		}
		if (this.client != null) {
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
		if (this.container != null) {
			this.container.stop();
		}
		if (this.process != null) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			deleteDirectory();
		}
	}

	private void deleteDirectory() {
		if (this.directory == null) {
			return;
		}
		try (java.util.stream.Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary directory left behind is not worth failing a test for.
		}
	}

	@Override
	public String toString() {
		return "Redis at " + this.host + ":" + this.port + ((this.container != null) ? " (container)" : " (process)");
	}

}
