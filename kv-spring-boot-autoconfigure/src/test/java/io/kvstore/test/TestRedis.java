package io.kvstore.test;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * A real Redis for tests, a single server or a cluster: how to reach it, and raw clients
 * to check what the code under test wrote.
 */
public interface TestRedis {

	/** Host of the (first) node. */
	String host();

	/** Port of the (first) node. */
	int port();

	/** URI of the (first) node. */
	RedisURI uri();

	/** Whether this is a Redis Cluster. */
	boolean isCluster();

	/**
	 * Raw text commands; on a cluster, KEYS, SCAN, FLUSHALL and DBSIZE cover every
	 * master.
	 */
	RedisClusterCommands<String, String> raw();

	/**
	 * Raw binary commands; on a cluster, KEYS, SCAN, FLUSHALL and DBSIZE cover every
	 * master.
	 */
	RedisClusterCommands<byte[], byte[]> rawBinary();

	/**
	 * A shared Lettuce client of this Redis (a {@code RedisClusterClient} for a cluster).
	 */
	AbstractRedisClient client();

	/** A new Lettuce client of this Redis; the caller shuts it down. */
	AbstractRedisClient newClient();

	/**
	 * How often Redis ran a command, summed over every master
	 * ({@code INFO commandstats}).
	 */
	long commandCalls(String command);

	/**
	 * Whether the server has {@code PEXPIRETIME} (Redis 7 and later, Valkey), which Redis
	 * 6.2 has not.
	 */
	boolean hasPexpiretime();

	/** Deletes every key. */
	void flushAll();

	/**
	 * Counts the calls of a command in the {@code INFO commandstats} text of one server.
	 */
	static long commandCalls(String commandStats, String command) {
		for (String line : commandStats.split("\r?\n")) {
			if (line.startsWith("cmdstat_" + command + ":")) {
				String calls = line.substring(line.indexOf("calls=") + 6);
				return Long.parseLong(calls.substring(0, calls.indexOf(',')));
			}
		}
		return 0;
	}

}
