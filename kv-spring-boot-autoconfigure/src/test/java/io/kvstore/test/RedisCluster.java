package io.kvstore.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * A Redis Cluster of local {@code redis-server} processes on free ports: three masters
 * with the slots split evenly, met, and in state {@code ok}. {@link #shared()} gives the
 * one cluster of a test run (stopped when the JVM exits).
 */
public final class RedisCluster implements TestRedis, AutoCloseable {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	private static RedisCluster shared;

	private final List<RedisServer> nodes;

	private RedisClusterClient client;

	private StatefulRedisClusterConnection<String, String> text;

	private StatefulRedisClusterConnection<byte[], byte[]> binary;

	private RedisCluster(List<RedisServer> nodes) {
		this.nodes = nodes;
	}

	/**
	 * The cluster shared by every test of this JVM, started on first use.
	 * @return the running cluster
	 */
	public static synchronized RedisCluster shared() {
		if (shared == null) {
			shared = start(3);
			RedisCluster cluster = shared;
			Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "redis-cluster-stop"));
		}
		return shared;
	}

	/**
	 * Starts a cluster of the given number of masters.
	 * @param masters the number of masters
	 * @return the running cluster
	 */
	public static RedisCluster start(int masters) {
		List<RedisServer> nodes = new ArrayList<>();
		try {
			for (int i = 0; i < masters; i++) {
				nodes.add(RedisServer.start(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
						"--cluster-node-timeout", "5000", "--cluster-require-full-coverage", "yes")));
			}
			if (nodes.stream().anyMatch((node) -> !node.isProcess())) {
				throw new IllegalStateException("A cluster needs redis-server processes");
			}
			RedisCluster cluster = new RedisCluster(nodes);
			cluster.assignSlotsAndMeet();
			return cluster;
		}
		catch (RuntimeException ex) {
			nodes.forEach(RedisServer::close);
			throw ex;
		}
	}

	private void assignSlotsAndMeet() {
		int count = this.nodes.size();
		for (int i = 0; i < count; i++) {
			RedisCommands<String, String> node = this.nodes.get(i).raw();
			node.clusterSetConfigEpoch(i + 1);
			int from = i * SlotHash.SLOT_COUNT / count;
			int to = (i + 1) * SlotHash.SLOT_COUNT / count;
			node.clusterAddSlots(IntStream.range(from, to).toArray());
		}
		RedisServer first = this.nodes.get(0);
		for (RedisServer node : this.nodes.subList(1, count)) {
			first.raw().clusterMeet(node.host(), node.port());
		}
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (!isReady()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The Redis Cluster did not reach state ok within " + READY_TIMEOUT);
			}
			sleep(50);
		}
	}

	private boolean isReady() {
		for (RedisServer node : this.nodes) {
			String info = node.raw().clusterInfo();
			if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + this.nodes.size())) {
				return false;
			}
			long masters = node.raw().clusterNodes().lines().filter((line) -> line.contains("master")).count();
			if (masters != this.nodes.size()) {
				return false;
			}
		}
		return true;
	}

	/** The nodes, each a {@link RedisServer}. */
	public List<RedisServer> nodes() {
		return this.nodes;
	}

	/**
	 * Moves one slot, and every key in it, from the master that serves it to another one
	 * (the steps of a live resharding: IMPORTING, MIGRATING, MIGRATE in batches, then the
	 * new owner announced to every node). Clients see MOVED and ASK redirections
	 * meanwhile.
	 * @param slot the slot
	 * @param to the node that takes it
	 */
	public void migrateSlot(int slot, RedisServer to) {
		migrateSlot(slot, to, 50, Duration.ZERO);
	}

	/**
	 * Moves one slot like {@link #migrateSlot(int, RedisServer)}, a few keys at a time
	 * with a pause between batches, so that clients meet the slot half moved.
	 * @param slot the slot
	 * @param to the node that takes it
	 * @param keysPerBatch how many keys one MIGRATE moves
	 * @param pause the pause after each batch
	 */
	public void migrateSlot(int slot, RedisServer to, int keysPerBatch, Duration pause) {
		RedisServer from = owner(slot);
		if (from == to) {
			return;
		}
		String fromId = from.raw().clusterMyId();
		String toId = to.raw().clusterMyId();
		to.raw().clusterSetSlotImporting(slot, fromId);
		from.raw().clusterSetSlotMigrating(slot, toId);
		while (true) {
			List<byte[]> keys = from.rawBinary().clusterGetKeysInSlot(slot, keysPerBatch);
			if (keys.isEmpty()) {
				break;
			}
			from.rawBinary().migrate(to.host(), to.port(), 0, 5000, MigrateArgs.Builder.keys(keys).replace());
			if (!pause.isZero()) {
				sleep(pause.toMillis());
			}
		}
		for (RedisServer node : List.of(to, from)) {
			node.raw().clusterSetSlotNode(slot, toId);
		}
		for (RedisServer node : this.nodes) {
			if (node != to && node != from) {
				node.raw().clusterSetSlotNode(slot, toId);
			}
		}
		// Under load the new owner may lose a config-epoch race and drop the slot from
		// its own view while the others point to it: until it claims the slot, bump its
		// epoch and assign the slot to it again (both idempotent).
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (!serves(to, slot)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Slot " + slot + " did not settle on node " + to.port());
			}
			sleep(50);
			if (!serves(to, slot)) {
				to.raw().clusterBumpepoch();
				to.raw().clusterSetSlotNode(slot, toId);
			}
		}
	}

	/**
	 * The master that serves a slot, by the masters' own word. Right after a slot moved,
	 * the masters may disagree for a moment while their gossip settles: wait for one to
	 * claim it.
	 */
	public RedisServer owner(int slot) {
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (true) {
			for (RedisServer node : this.nodes) {
				if (serves(node, slot)) {
					return node;
				}
			}
			if (System.nanoTime() > deadline) {
				StringBuilder views = new StringBuilder();
				for (RedisServer node : this.nodes) {
					views.append("\n").append(node.port()).append(":\n").append(node.raw().clusterNodes());
				}
				throw new IllegalStateException("No node serves slot " + slot + "; the nodes' views:" + views);
			}
			sleep(20);
		}
	}

	private static boolean serves(RedisServer node, int slot) {
		String myId = node.raw().clusterMyId();
		for (String line : node.raw().clusterNodes().lines().toList()) {
			String[] parts = line.split(" ");
			if (!parts[0].equals(myId)) {
				continue;
			}
			for (int i = 8; i < parts.length; i++) {
				String range = parts[i];
				if (range.startsWith("[")) {
					continue;
				}
				String[] bounds = range.split("-");
				int low = Integer.parseInt(bounds[0]);
				int high = Integer.parseInt(bounds[bounds.length - 1]);
				if (slot >= low && slot <= high) {
					return true;
				}
			}
		}
		return false;
	}

	@Override
	public String host() {
		return this.nodes.get(0).host();
	}

	@Override
	public int port() {
		return this.nodes.get(0).port();
	}

	@Override
	public RedisURI uri() {
		return this.nodes.get(0).uri();
	}

	/** The URIs of every node. */
	public List<RedisURI> uris() {
		return this.nodes.stream().map(RedisServer::uri).toList();
	}

	@Override
	public boolean isCluster() {
		return true;
	}

	@Override
	public synchronized RedisAdvancedClusterCommands<String, String> raw() {
		if (this.text == null) {
			this.text = client().connect();
		}
		return this.text.sync();
	}

	@Override
	public synchronized RedisAdvancedClusterCommands<byte[], byte[]> rawBinary() {
		if (this.binary == null) {
			this.binary = client().connect(ByteArrayCodec.INSTANCE);
		}
		return this.binary.sync();
	}

	@Override
	public synchronized RedisClusterClient client() {
		if (this.client == null) {
			this.client = newClient();
		}
		return this.client;
	}

	@Override
	public RedisClusterClient newClient() {
		return RedisClusterClient.create(uris());
	}

	@Override
	public long commandCalls(String command) {
		return this.nodes.stream().mapToLong((node) -> node.commandCalls(command)).sum();
	}

	@Override
	public boolean hasPexpiretime() {
		return this.nodes.get(0).hasPexpiretime();
	}

	@Override
	public void flushAll() {
		for (RedisServer node : this.nodes) {
			node.raw().flushall();
		}
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
		this.nodes.forEach(RedisServer::close);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return "Redis Cluster of " + this.nodes.size() + " masters at " + uris();
	}

}
