package io.kvstore.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import io.kvstore.core.KvStorage;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import org.jspecify.annotations.Nullable;

/**
 * Lists a store's keys, and clears the store, with {@code SCAN MATCH <escaped prefix>*}
 * over the hashes of every master (one on a single Redis), master by master in the order
 * of their node IDs. A page is one or more {@code SCAN} calls and one pipelined
 * {@code HMGET} of length, expiration and metadata per key; its cursor
 * ({@link ListCursor}) carries the scan position and the keys found beyond the page.
 */
final class EntryLister {

	private static final int MAX_SCAN_COUNT = 10_000;

	private final KvRedisConnection redis;

	private final EntryLayout layout;

	private final int maxKeySize;

	EntryLister(KvRedisConnection redis, EntryLayout layout, int maxKeySize) {
		this.redis = redis;
		this.layout = layout;
		this.maxKeySize = maxKeySize;
	}

	KvStorage.Page list(byte[] prefix, int limit, @Nullable String cursor) {
		ListCursor from = (cursor != null) ? ListCursor.decode(cursor, this.layout.prefix(), prefix, this.maxKeySize)
				: ListCursor.START;
		TreeSet<byte[]> found = new TreeSet<>(Arrays::compareUnsigned);
		found.addAll(from.pending());
		List<String> nodes = scanNodes();
		String node = from.node();
		String scanCursor = from.scanCursor();
		// A cluster listing starts before the first master; a master that left the
		// cluster between two pages is skipped.
		boolean scanFinished = from.scanFinished() || !nodes.contains(node);
		byte[] pattern = this.layout.matchPattern(prefix);
		long count = limit;
		// Scan until one key more than the page holds is found, or every node's scan
		// ends: only then is it known whether this page is the last one.
		while (found.size() <= limit) {
			if (scanFinished) {
				String next = nextNode(nodes, node);
				if (next == null) {
					break;
				}
				node = next;
				scanCursor = "0";
				scanFinished = false;
			}
			ScanStep scanned = scan(node, scanCursor, pattern, count);
			for (byte[] redisKey : scanned.keys()) {
				if (this.layout.isEntryKey(redisKey)) {
					found.add(this.layout.key(redisKey));
				}
			}
			scanCursor = scanned.cursor();
			scanFinished = scanned.finished();
			count = nextScanCount(count, scanned.keys().size(), limit + 1 - found.size());
		}
		boolean finished = scanFinished && nextNode(nodes, node) == null;
		List<byte[]> page = new ArrayList<>(Math.min(limit, found.size()));
		Iterator<byte[]> keys = found.iterator();
		while (page.size() < limit && keys.hasNext()) {
			page.add(keys.next());
		}
		List<byte[]> pending = new ArrayList<>();
		keys.forEachRemaining(pending::add);
		List<KvStorage.KvStoredKey> listed = describeKeys(page);
		boolean complete = finished && pending.isEmpty();
		String next = complete ? null
				: new ListCursor(node, scanCursor, scanFinished, pending).encode(this.layout.prefix(), prefix);
		return new KvStorage.Page(listed, next);
	}

	/**
	 * Deletes every entry of the store, and the staged entries of interrupted puts,
	 * without blocking Redis: per {@code SCAN} step (1000 keys looked at) one
	 * {@code UNLINK} of the entries it found and one of the staged entries (on a cluster
	 * split by slot), on every master.
	 * @return how many entries were deleted (staged entries not counted)
	 */
	long clear() {
		byte[] pattern = this.layout.matchPattern(new byte[0]);
		long deleted = 0;
		for (String node : scanNodes()) {
			String cursor = "0";
			boolean finished = false;
			while (!finished) {
				ScanStep scanned = scan(node, cursor, pattern, 1000);
				List<byte[]> entries = new ArrayList<>(scanned.keys().size());
				List<byte[]> staged = new ArrayList<>();
				for (byte[] redisKey : scanned.keys()) {
					(this.layout.isEntryKey(redisKey) ? entries : staged).add(redisKey);
				}
				if (!entries.isEmpty()) {
					deleted += this.redis.unlink(entries.toArray(byte[][]::new));
				}
				if (!staged.isEmpty()) {
					this.redis.unlink(staged.toArray(byte[][]::new));
				}
				cursor = scanned.cursor();
				finished = scanned.finished();
			}
		}
		return deleted;
	}

	/**
	 * The IDs of the masters to scan, in a stable order: the cluster's masters sorted by
	 * node ID, or one empty ID for a single Redis.
	 */
	private List<String> scanNodes() {
		return this.redis.opened().masters();
	}

	/**
	 * One {@code SCAN} step on one node ({@link #scanNodes()}) over the hashes that match
	 * a pattern.
	 * @param node the node's ID, empty on a single Redis
	 * @param cursor the scan cursor, {@code 0} to start
	 * @param pattern the {@code MATCH} pattern
	 * @param count the {@code COUNT} hint
	 * @return the keys found and where the scan stands
	 */
	private ScanStep scan(String node, String cursor, byte[] pattern, long count) {
		KeyScanArgs args = new KeyScanArgs();
		args.type("hash");
		args.match(pattern);
		args.limit(count);
		KeyScanCursor<byte[]> step = this.redis
			.await(this.redis.send((connection) -> connection.node(node).scan(ScanCursor.of(cursor), args)));
		return new ScanStep(step.getKeys(), step.getCursor(), step.isFinished());
	}

	/**
	 * What one {@code SCAN} step found.
	 *
	 * @param keys the keys
	 * @param cursor the cursor to go on with
	 * @param finished whether the scan of the node has ended
	 */
	private record ScanStep(List<byte[]> keys, String cursor, boolean finished) {
	}

	// The node to scan after the given one: the first whose ID sorts after it (the empty
	// ID of the start sorts before every other).
	private static @Nullable String nextNode(List<String> nodes, String node) {
		for (String candidate : nodes) {
			if (candidate.compareTo(node) > 0) {
				return candidate;
			}
		}
		return null;
	}

	// SCAN's COUNT is the number of keys Redis looks at, of which only those matching the
	// prefix come back. Start with the page size (a page of a dense prefix then needs one
	// call and leaves few keys for the cursor to carry); for a sparse prefix, scale COUNT
	// by the share that matched so far, within bounds.
	private static long nextScanCount(long count, int matched, int remaining) {
		if (remaining <= 0) {
			return count;
		}
		if (matched == 0) {
			return Math.min(count * 4, MAX_SCAN_COUNT);
		}
		double share = (double) matched / count;
		long wanted = (long) Math.ceil(remaining / share);
		return Math.max(remaining, Math.min(wanted, MAX_SCAN_COUNT));
	}

	// One pipelined round trip: per key an HMGET of length and metadata and the key's
	// expiry (PEXPIRETIME). A key whose length or expiry is missing vanished (deleted or
	// expired) since the SCAN and is left out.
	private List<KvStorage.KvStoredKey> describeKeys(List<byte[]> page) {
		List<byte[]> entryKeys = new ArrayList<>(page.size());
		for (byte[] key : page) {
			entryKeys.add(this.layout.entryKey(key));
		}
		// Two batches, each written and flushed at once, in the same round trip.
		List<CompletableFuture<byte[][]>> fields = this.redis.hmgetAll(entryKeys, EntryLayout.LIST);
		List<CompletableFuture<Long>> expiries = this.redis.fallbacks().expiresAtAll(entryKeys);
		List<CompletableFuture<?>> replies = new ArrayList<>(fields);
		replies.addAll(expiries);
		this.redis.awaitAll(replies);
		List<KvStorage.KvStoredKey> listed = new ArrayList<>(page.size());
		for (int i = 0; i < page.size(); i++) {
			byte[][] entry = this.redis.await(fields.get(i));
			long expiresAt = this.redis.await(expiries.get(i));
			if (entry[0] != null && expiresAt != -2) {
				listed.add(new KvStorage.KvStoredKey(page.get(i), (expiresAt >= 0) ? expiresAt : null, entry[1]));
			}
		}
		return listed;
	}

}
