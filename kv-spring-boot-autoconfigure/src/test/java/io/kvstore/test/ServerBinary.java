package io.kvstore.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A server of its own that tests run on beside the {@code redis-server} of the
 * {@code PATH}: the Redis 6.2 that {@code embedded-redis} packages, and the Redis 8 and
 * Valkey 8 servers that {@code .ci/install-servers} installs. Each is found by its
 * environment variable (the path of a server binary, or of a launcher that runs one),
 * else in the folder {@code KV_TEST_SERVERS} (default {@code /opt/kv-test-servers}),
 * under {@code bin/}. {@link RedisServer#shared(ServerBinary)} starts it.
 */
public enum ServerBinary {

	/**
	 * Redis 6.2.6, the Linux x86-64 binary packaged in
	 * {@code com.github.codemonstur:embedded-redis}.
	 */
	REDIS_6_2("Redis 6.2", null, null, "redis_version:6.2."),

	/** Redis 8.0, Debian 13's {@code redis-tools} run through its own loader. */
	REDIS_8("Redis 8.0", "KV_REDIS8_SERVER", "redis-server-8.0", "redis_version:8."),

	/** Valkey 8.0, Debian 12 backports' {@code valkey-tools}. */
	VALKEY_8_0("Valkey 8.0", "KV_VALKEY80_SERVER", "valkey-server-8.0", "valkey_version:8.0."),

	/** Valkey 8.1, Debian 13's {@code valkey-tools} run through its own loader. */
	VALKEY_8_1("Valkey 8.1", "KV_VALKEY81_SERVER", "valkey-server-8.1", "valkey_version:8.1.");

	/**
	 * The folder that {@code .ci/install-servers} fills, unless {@code KV_TEST_SERVERS}
	 * says another.
	 */
	public static final String DEFAULT_FOLDER = "/opt/kv-test-servers";

	private static final String REDIS_62_RESOURCE = "/redis-server-6.2.6-v5-linux-amd64";

	private static @Nullable String extractedRedis62;

	private final String label;

	private final @Nullable String variable;

	private final @Nullable String fileName;

	private final String versionLine;

	ServerBinary(String label, @Nullable String variable, @Nullable String fileName, String versionLine) {
		this.label = label;
		this.variable = variable;
		this.fileName = fileName;
		this.versionLine = versionLine;
	}

	/** Such as {@code Redis 8.0}. */
	public String label() {
		return this.label;
	}

	/**
	 * What {@code INFO server} of this server has, such as {@code valkey_version:8.1.}
	 * (Valkey reports {@code redis_version:7.2.4} beside its own version).
	 */
	public String versionLine() {
		return this.versionLine;
	}

	/**
	 * The folder of installed servers: {@code KV_TEST_SERVERS}, else
	 * {@link #DEFAULT_FOLDER}.
	 */
	public static String folder() {
		String configured = System.getenv("KV_TEST_SERVERS");
		return (configured != null && !configured.isBlank()) ? configured : DEFAULT_FOLDER;
	}

	/**
	 * Whether this server can run here.
	 * @return {@code true} when {@link #executable()} finds it
	 */
	public boolean isAvailable() {
		return (this == REDIS_6_2) ? isRedis62Packaged() : installed() != null;
	}

	/**
	 * The server's executable, extracted from the class path for Redis 6.2.
	 * @return its path
	 * @throws IllegalStateException when it is not {@link #isAvailable() available}
	 */
	public String executable() {
		if (this == REDIS_6_2) {
			return extractRedis62();
		}
		String found = installed();
		if (found == null) {
			throw new IllegalStateException(missing());
		}
		return found;
	}

	/**
	 * Skips the calling test when this server is missing, saying which and how to get it;
	 * with {@code KV_TEST_SERVERS_REQUIRED=true} (as {@code .ci/run} sets it) fails it
	 * instead, so that CI never passes by skipping a server it installed.
	 */
	public void assumeAvailable() {
		if (isAvailable()) {
			return;
		}
		if (Boolean.parseBoolean(System.getenv("KV_TEST_SERVERS_REQUIRED"))) {
			throw new IllegalStateException(missing() + " (KV_TEST_SERVERS_REQUIRED is true)");
		}
		if (announcedMissing.add(this)) {
			RedisServer.announce(missing() + ": its tests are skipped");
		}
		Assumptions.assumeTrue(false, missing());
	}

	private static final java.util.Set<ServerBinary> announcedMissing = java.util.concurrent.ConcurrentHashMap
		.newKeySet();

	/** Which server is missing, and how to get it. */
	public String missing() {
		if (this == REDIS_6_2) {
			return "Redis 6.2: the binary that embedded-redis packages runs on Linux x86-64 only (this is "
					+ System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")";
		}
		String configured = System.getenv(this.variable);
		if (configured != null && !configured.isBlank()) {
			return this.label + ": " + this.variable + "=" + configured + " is not an executable file";
		}
		return this.label + " not found: no " + this.fileName + " in " + folder() + "/bin; run .ci/install-servers "
				+ "(Debian x86-64: fetches it from Debian's archive into that folder), or set " + this.variable
				+ " to a " + this.label + " server binary or launcher";
	}

	private @Nullable String installed() {
		String configured = System.getenv(this.variable);
		File candidate = (configured != null && !configured.isBlank()) ? new File(configured)
				: new File(folder(), "bin" + File.separator + this.fileName);
		return (candidate.isFile() && candidate.canExecute()) ? candidate.getAbsolutePath() : null;
	}

	/**
	 * Whether the Redis 6.2 binary packaged in {@code embedded-redis} can run here.
	 * @return {@code true} on Linux x86-64 with the binary on the class path
	 */
	static boolean isRedis62Packaged() {
		return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
				&& List.of("amd64", "x86_64").contains(System.getProperty("os.arch"))
				&& ServerBinary.class.getResource(REDIS_62_RESOURCE) != null;
	}

	// Extracted once a JVM, deleted when it exits.
	private static synchronized String extractRedis62() {
		if (extractedRedis62 != null && new File(extractedRedis62).canExecute()) {
			return extractedRedis62;
		}
		try (InputStream in = ServerBinary.class.getResourceAsStream(REDIS_62_RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException(
						"No " + REDIS_62_RESOURCE + " on the class path (com.github.codemonstur:embedded-redis)");
			}
			Path binary = Files.createTempFile("redis-server-6.2-", "");
			Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
			binary.toFile().setExecutable(true);
			binary.toFile().deleteOnExit();
			extractedRedis62 = binary.toString();
			return extractedRedis62;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot extract the Redis 6.2 binary", ex);
		}
	}

}
