package io.kvstore.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * A Redis Sentinel deployment of local {@code redis-server} processes on free loopback
 * ports: a master, one replica of it, and three sentinels that monitor it (quorum 2, down
 * after one second), in a temporary directory that {@link #close()} deletes with the
 * processes. {@link #start()} returns once the replica is in sync and every sentinel
 * knows the master, the replica and the two other sentinels, so a failover can start at
 * once.
 * <p>
 * Replication runs as its own ACL user on every server, so a test can cut it
 * ({@link #cutReplication()}): the master then acknowledges writes that no replica will
 * ever have.
 */
public final class RedisSentinel implements AutoCloseable {

	/** The name the sentinels monitor the master by. */
	public static final String MASTER_NAME = "kvmaster";

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private static final String REPLICATION_USER = "replication";

	private static final String REPLICATION_PASSWORD = "replication-secret";

	private final Path directory;

	private final List<RedisServer> servers = new ArrayList<>();

	private final List<RedisServer> sentinels = new ArrayList<>();

	private final List<RedisClient> sentinelClients = new ArrayList<>();

	private final List<StatefulRedisSentinelConnection<String, String>> sentinelConnections = new ArrayList<>();

	private RedisSentinel(Path directory) {
		this.directory = directory;
	}

	/**
	 * Starts a master, a replica and three sentinels, and waits until they are ready.
	 * @return the running deployment
	 */
	public static RedisSentinel start() {
		Path directory;
		try {
			directory = Files.createTempDirectory("kv-sentinel-");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot create a directory for the sentinels", ex);
		}
		RedisSentinel sentinel = new RedisSentinel(directory);
		try {
			sentinel.startServers();
			return sentinel;
		}
		catch (RuntimeException | IOException ex) {
			sentinel.close();
			throw new IllegalStateException("The Sentinel deployment did not start", ex);
		}
	}

	private static List<String> serverArguments() {
		return List.of("--user", REPLICATION_USER, "on", ">" + REPLICATION_PASSWORD, "~*", "&*", "+@all",
				"--masteruser", REPLICATION_USER, "--masterauth", REPLICATION_PASSWORD, "--repl-timeout", "5");
	}

	private void startServers() throws IOException {
		RedisServer master = RedisServer.startProcess(serverArguments());
		this.servers.add(master);
		List<String> replicaArguments = new ArrayList<>(serverArguments());
		replicaArguments.addAll(List.of("--replicaof", master.host(), Integer.toString(master.port())));
		RedisServer replica = RedisServer.startProcess(replicaArguments);
		this.servers.add(replica);
		awaitReplicaInSync(master);
		for (int i = 0; i < 3; i++) {
			Path configuration = this.directory.resolve("sentinel-" + i + ".conf");
			Files.writeString(configuration,
					"sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " 2\n"
							+ "sentinel down-after-milliseconds " + MASTER_NAME + " 1000\n"
							+ "sentinel failover-timeout " + MASTER_NAME + " 10000\n" + "sentinel parallel-syncs "
							+ MASTER_NAME + " 1\n");
			RedisServer started = RedisServer.startSentinel(configuration);
			this.sentinels.add(started);
			RedisClient client = RedisClient.create(started.uri());
			this.sentinelClients.add(client);
			this.sentinelConnections.add(client.connectSentinel());
		}
		awaitSentinelsReady(master);
	}

	// The master has its replica online, at its own replication offset.
	private static void awaitReplicaInSync(RedisServer master) {
		await("the replica of " + master + " in sync").atMost(READY_TIMEOUT)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> {
				Map<String, String> info = info(master, "replication");
				String replica = info.get("slave0");
				return "master".equals(info.get("role")) && replica != null && replica.contains("state=online")
						&& replica.contains("offset=" + info.get("master_repl_offset") + ",");
			});
	}

	// Every sentinel names the master, knows its replica (not down) and both other
	// sentinels.
	private void awaitSentinelsReady(RedisServer master) {
		await("the sentinels ready").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
			for (RedisSentinelCommands<String, String> sentinel : sentinelCommands()) {
				if (!isAddressOf(sentinel.getMasterAddrByName(MASTER_NAME), master)) {
					return false;
				}
				List<Map<String, String>> replicas = sentinel.replicas(MASTER_NAME);
				if (replicas.size() != 1 || replicas.get(0).getOrDefault("flags", "").contains("down")
						|| !"ok".equals(replicas.get(0).get("master-link-status"))) {
					return false;
				}
				if (!"2".equals(sentinel.master(MASTER_NAME).get("num-other-sentinels"))) {
					return false;
				}
			}
			return true;
		});
	}

	private List<RedisSentinelCommands<String, String>> sentinelCommands() {
		return this.sentinelConnections.stream().map(StatefulRedisSentinelConnection::sync).toList();
	}

	private static boolean isAddressOf(java.net.@Nullable SocketAddress address, RedisServer server) {
		return address instanceof java.net.InetSocketAddress inet && inet.getPort() == server.port();
	}

	/**
	 * The sentinels' addresses, as {@code spring.data.redis.sentinel.nodes} takes them.
	 * @return {@code host:port,host:port,host:port}
	 */
	public String nodes() {
		return this.sentinels.stream().map((s) -> s.host() + ":" + s.port()).collect(Collectors.joining(","));
	}

	/** The sentinels, each a {@link RedisServer}. */
	public List<RedisServer> sentinels() {
		return List.copyOf(this.sentinels);
	}

	/** The master and the replica, in the order they were started. */
	public List<RedisServer> servers() {
		return List.copyOf(this.servers);
	}

	/**
	 * The master, by the word of every sentinel and its own role.
	 * @return the server that every sentinel names as master
	 * @throws IllegalStateException when they disagree or it is not a master
	 */
	public RedisServer master() {
		RedisServer named = null;
		for (RedisSentinelCommands<String, String> sentinel : sentinelCommands()) {
			java.net.SocketAddress address = sentinel.getMasterAddrByName(MASTER_NAME);
			RedisServer server = this.servers.stream()
				.filter((candidate) -> isAddressOf(address, candidate))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("A sentinel names an unknown master " + address));
			if (named != null && named != server) {
				throw new IllegalStateException("The sentinels disagree on the master");
			}
			named = server;
		}
		if (named == null || !"master".equals(info(named, "replication").get("role"))) {
			throw new IllegalStateException("The master the sentinels name is not a master: " + named);
		}
		return named;
	}

	/**
	 * The server that is not {@code server}.
	 * @param server the master or the replica
	 * @return the other one
	 */
	public RedisServer other(RedisServer server) {
		return this.servers.stream().filter((candidate) -> candidate != server).findFirst().orElseThrow();
	}

	/**
	 * Asks a sentinel for a failover ({@code SENTINEL FAILOVER}), as an operator does
	 * before maintenance: the replica is promoted, the old master becomes its replica.
	 * @return the old master
	 */
	public RedisServer failover() {
		RedisServer old = master();
		sentinelCommands().get(0).failover(MASTER_NAME);
		return old;
	}

	/**
	 * Waits until every sentinel names the other server than {@code old} as master and it
	 * says it is one.
	 * @param old the master before the failover
	 * @param timeout how long to wait
	 * @return the new master
	 */
	public RedisServer awaitMasterOtherThan(RedisServer old, Duration timeout) {
		RedisServer expected = other(old);
		await("a new master " + expected).atMost(timeout)
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> master() == expected);
		return expected;
	}

	/**
	 * Waits until {@code server} is an online replica of the master, as the sentinels
	 * reconfigure an old master that comes back (under load it may trail the master by
	 * the writes in flight).
	 * @param server the server
	 * @param timeout how long to wait
	 */
	public void awaitReplica(RedisServer server, Duration timeout) {
		await(server + " a replica in sync").atMost(timeout)
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> "slave".equals(info(server, "replication").get("role"))
					&& "up".equals(info(server, "replication").get("master_link_status"))
					&& info(other(server), "replication").getOrDefault("slave0", "").contains("state=online"));
	}

	/**
	 * Cuts replication from the master: the replication user is disabled and the
	 * replica's link dropped, so the replica cannot reconnect. The master goes on
	 * acknowledging writes that no replica has.
	 */
	public void cutReplication() {
		RedisServer master = master();
		master.raw().aclSetuser(REPLICATION_USER, io.lettuce.core.AclSetuserArgs.Builder.off());
		master.raw().clientKill(io.lettuce.core.KillArgs.Builder.typeSlave());
		await("the replica disconnected").atMost(READY_TIMEOUT)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> "0".equals(info(master, "replication").get("connected_slaves")));
	}

	/**
	 * The fields of one {@code INFO} section of a server.
	 * @param server the server
	 * @param section such as {@code replication}
	 * @return field names to values
	 */
	public static Map<String, String> info(RedisServer server, String section) {
		return server.raw()
			.info(section)
			.lines()
			.filter((line) -> line.contains(":"))
			.collect(Collectors.toMap((line) -> line.substring(0, line.indexOf(':')),
					(line) -> line.substring(line.indexOf(':') + 1).trim(), (a, b) -> b));
	}

	/** The URI of the master through the sentinels, for a Lettuce client. */
	public RedisURI uri() {
		RedisURI.Builder builder = RedisURI.builder();
		for (RedisServer sentinel : this.sentinels) {
			builder.withSentinel(sentinel.host(), sentinel.port());
		}
		return builder.withSentinelMasterId(MASTER_NAME).withTimeout(Duration.ofSeconds(10)).build();
	}

	@Override
	public void close() {
		this.sentinelConnections.forEach(StatefulRedisSentinelConnection::close);
		this.sentinelClients.forEach((client) -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
		this.sentinels.forEach(RedisServer::close);
		this.servers.forEach(RedisServer::close);
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary directory left behind is not worth failing a test for.
		}
	}

}
