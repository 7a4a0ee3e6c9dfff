package io.kvstore.memory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

import io.kvstore.core.KvCursors;
import io.kvstore.core.KvStorage;
import io.kvstore.core.KvStoredValue;
import io.kvstore.core.KvWrite;
import org.jspecify.annotations.Nullable;

/**
 * A store's entries in a concurrent sorted map, by the unsigned bytes of their keys. An
 * entry is immutable and a put replaces it whole, so a reader sees one put's value and
 * metadata, and a stream reads a value that no later put changes. An entry whose expiry
 * has passed on the clock reads as missing and is removed when met (and by a sweep every
 * {@value #SWEEP_EVERY} puts). A listing walks the map in key order from the prefix, or
 * from the last key of the previous page, which is what its cursor holds.
 */
final class MemoryStorage implements KvStorage {

	private static final int SWEEP_EVERY = 1024;

	private static final byte CURSOR_VERSION = 1;

	private final ConcurrentSkipListMap<byte[], Entry> entries = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);

	private final AtomicInteger putsSinceSweep = new AtomicInteger();

	private final byte[] store;

	private final int maxKeySize;

	private final Clock clock;

	MemoryStorage(String store, int maxKeySize, Clock clock) {
		this.store = ("memory:" + store).getBytes(StandardCharsets.UTF_8);
		this.maxKeySize = maxKeySize;
		this.clock = clock;
	}

	@Override
	public void put(byte[] key, byte[] value, KvWrite write) {
		long now = this.clock.millis();
		byte[] metadata = write.metadata();
		this.entries.put(key,
				new Entry(value.clone(), (metadata != null) ? metadata.clone() : null, write.expiry().expiresAt(now)));
		if (this.putsSinceSweep.incrementAndGet() >= SWEEP_EVERY) {
			this.putsSinceSweep.set(0);
			sweep(now);
		}
	}

	// The value is read whole before anything is written: a stream that fails or passes
	// the limit leaves the previous entry as it was.
	@Override
	public long put(byte[] key, InputStream value, KvWrite write) throws IOException {
		byte[] bytes = value.readAllBytes();
		put(key, bytes, write);
		return bytes.length;
	}

	@Override
	public @Nullable KvStoredValue read(byte[] key, boolean withMetadata, boolean stream) {
		Entry entry = live(key, this.entries.get(key), this.clock.millis());
		if (entry == null) {
			return null;
		}
		return KvStoredValue.of(entry.value().clone(), withMetadata ? entry.metadata() : null);
	}

	@Override
	public List<@Nullable KvStoredValue> readAll(List<byte[]> keys, boolean withMetadata, LongConsumer sizeCheck) {
		long now = this.clock.millis();
		List<@Nullable Entry> found = new ArrayList<>(keys.size());
		long total = 0;
		for (byte[] key : keys) {
			Entry entry = live(key, this.entries.get(key), now);
			found.add(entry);
			total += (entry != null) ? entry.value().length : 0;
		}
		sizeCheck.accept(total);
		List<@Nullable KvStoredValue> values = new ArrayList<>(keys.size());
		for (Entry entry : found) {
			values.add((entry != null) ? KvStoredValue.of(entry.value().clone(), withMetadata ? entry.metadata() : null)
					: null);
		}
		return values;
	}

	@Override
	public Page list(byte[] prefix, int limit, @Nullable String cursor) {
		ConcurrentNavigableMap<byte[], Entry> from = (cursor != null)
				? this.entries.tailMap(lastListed(cursor, prefix), false) : this.entries.tailMap(prefix, true);
		long now = this.clock.millis();
		List<KvStoredKey> page = new ArrayList<>(Math.min(limit, 1024));
		boolean more = false;
		for (Iterator<Map.Entry<byte[], Entry>> it = from.entrySet().iterator(); it.hasNext();) {
			Map.Entry<byte[], Entry> next = it.next();
			if (!startsWith(next.getKey(), prefix)) {
				break;
			}
			Entry entry = live(next.getKey(), next.getValue(), now);
			if (entry == null) {
				continue;
			}
			if (page.size() == limit) {
				more = true;
				break;
			}
			page.add(new KvStoredKey(next.getKey(), entry.expiresAt() != Long.MAX_VALUE ? entry.expiresAt() : null,
					entry.metadata()));
		}
		String next = more ? KvCursors.encode(this.store, prefix, cursorContent(page.get(page.size() - 1).key()))
				: null;
		return new Page(page, next);
	}

	@Override
	public void delete(byte[] key) {
		this.entries.remove(key);
	}

	@Override
	public void deleteAll(List<byte[]> keys) {
		keys.forEach(this.entries::remove);
	}

	@Override
	public long clear() {
		long now = this.clock.millis();
		long deleted = 0;
		for (Map.Entry<byte[], Entry> entry : this.entries.entrySet()) {
			if (this.entries.remove(entry.getKey(), entry.getValue()) && entry.getValue().expiresAt() > now) {
				deleted++;
			}
		}
		return deleted;
	}

	@Override
	public Duration ping() {
		return Duration.ZERO;
	}

	@Override
	public String describe() {
		return "memory (the application's heap)";
	}

	// The entry, or null when it is missing or has expired (then it is removed, unless a
	// put replaced it meanwhile).
	private @Nullable Entry live(byte[] key, @Nullable Entry entry, long now) {
		if (entry == null) {
			return null;
		}
		if (entry.expiresAt() <= now) {
			this.entries.remove(key, entry);
			return null;
		}
		return entry;
	}

	private void sweep(long now) {
		this.entries.entrySet().removeIf((entry) -> entry.getValue().expiresAt() <= now);
	}

	private static byte[] cursorContent(byte[] lastKey) {
		byte[] content = new byte[1 + lastKey.length];
		content[0] = CURSOR_VERSION;
		System.arraycopy(lastKey, 0, content, 1, lastKey.length);
		return content;
	}

	private byte[] lastListed(String cursor, byte[] prefix) {
		byte[] content = KvCursors.decode(cursor, this.store, prefix);
		if (content[0] != CURSOR_VERSION) {
			throw KvCursors.invalid(cursor, "its version is unknown");
		}
		byte[] key = Arrays.copyOfRange(content, 1, content.length);
		if (key.length < 1 || key.length > this.maxKeySize) {
			throw KvCursors.invalid(cursor, "it holds a key of a length out of range");
		}
		if (!startsWith(key, prefix)) {
			throw KvCursors.invalid(cursor, "it holds a key outside the prefix");
		}
		return key;
	}

	private static boolean startsWith(byte[] key, byte[] prefix) {
		return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
	}

	/**
	 * One entry: value, metadata JSON (or null) and expiry in epoch milliseconds
	 * ({@link Long#MAX_VALUE} for never).
	 */
	private record Entry(byte[] value, byte @Nullable [] metadata, long expiresAt) {
	}

}
