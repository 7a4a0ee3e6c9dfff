package io.kvstore.memory;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import io.kvstore.KvNamespace;
import io.kvstore.core.AbstractKvNamespace;
import io.kvstore.core.KvCursors;
import org.jspecify.annotations.Nullable;

/**
 * What a test reads of a {@link MemoryKvNamespace} past its API: the entries as
 * {@link MemoryStorage} holds them (expired ones too, until they are removed), and the
 * store's clock. Nothing here calls {@code get} or {@code list} of the code under test.
 * <p>
 * {@code MemoryStorage}'s map, its clock and the store's storage are private fields, so
 * they are read by reflection; a renamed field fails every caller at once, never
 * silently.
 */
public final class MemoryEntries {

	private static final Field STORAGE = field(AbstractKvNamespace.class, "storage");

	private static final Field ENTRIES = field(MemoryStorage.class, "entries");

	private static final Field CLOCK = field(MemoryStorage.class, "clock");

	private MemoryEntries() {
	}

	/**
	 * Whether the store keeps its entries in memory.
	 * @param store the store
	 * @return {@code true} for a {@link MemoryKvNamespace}
	 */
	public static boolean isMemory(KvNamespace store) {
		return store instanceof MemoryKvNamespace;
	}

	/**
	 * The entries of a memory store as they are held, in the order of their keys' bytes.
	 * @param store a {@link MemoryKvNamespace}
	 * @return the entries by key (keys are valid Unicode, so their text is exact)
	 */
	public static Map<String, StoredEntry> of(KvNamespace store) {
		Map<String, StoredEntry> entries = new LinkedHashMap<>();
		for (Map.Entry<byte[], ?> entry : map(store).entrySet()) {
			entries.put(new String(entry.getKey(), StandardCharsets.UTF_8), StoredEntry.of(entry.getValue()));
		}
		return entries;
	}

	/**
	 * The entry of a key as it is held, expired or not.
	 * @param store a {@link MemoryKvNamespace}
	 * @param key the key
	 * @return the entry, or {@code null} when the map has none
	 */
	public static @Nullable StoredEntry entry(KvNamespace store, String key) {
		Object entry = map(store).get(key.getBytes(StandardCharsets.UTF_8));
		return (entry != null) ? StoredEntry.of(entry) : null;
	}

	/**
	 * Every entry of a memory store described as text, for comparing before and after a
	 * call.
	 * @param store a {@link MemoryKvNamespace}
	 * @return {@code <store>/<key as hex>} to {@link StoredEntry#describe()}
	 */
	public static Map<String, String> describe(KvNamespace store) {
		Map<String, String> described = new LinkedHashMap<>();
		for (Map.Entry<byte[], ?> entry : map(store).entrySet()) {
			described.put(store.name() + "/" + HexFormat.of().formatHex(entry.getKey()),
					StoredEntry.of(entry.getValue()).describe());
		}
		return described;
	}

	/**
	 * The time on the clock the store expires its entries by.
	 * @param store a {@link MemoryKvNamespace}
	 * @return the clock's epoch milliseconds
	 */
	public static long nowMillis(KvNamespace store) {
		return ((Clock) read(CLOCK, storage(store))).millis();
	}

	/**
	 * A cursor with a valid check value whose last listed key is chosen by the caller, as
	 * {@code MemoryStorage} makes them (a version byte, then the last key listed).
	 * @param storeName the name of the store it claims to be of
	 * @param prefix the listing prefix it claims to be for
	 * @param lastKey the key to continue after
	 * @return the forged cursor
	 */
	public static String forgedCursor(String storeName, String prefix, byte[] lastKey) {
		byte[] content = new byte[1 + lastKey.length];
		content[0] = 1;
		System.arraycopy(lastKey, 0, content, 1, lastKey.length);
		return KvCursors.encode(("memory:" + storeName).getBytes(StandardCharsets.UTF_8),
				prefix.getBytes(StandardCharsets.UTF_8), content);
	}

	@SuppressWarnings("unchecked")
	private static ConcurrentSkipListMap<byte[], ?> map(KvNamespace store) {
		return (ConcurrentSkipListMap<byte[], ?>) read(ENTRIES, storage(store));
	}

	private static MemoryStorage storage(KvNamespace store) {
		if (!isMemory(store)) {
			throw new IllegalArgumentException(store + " is not a memory store");
		}
		return (MemoryStorage) read(STORAGE, store);
	}

	private static Object read(Field field, Object target) {
		try {
			return field.get(target);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Field field(Class<?> type, String name) {
		try {
			Field field = type.getDeclaredField(name);
			field.setAccessible(true);
			return field;
		}
		catch (NoSuchFieldException ex) {
			throw new IllegalStateException(type.getName() + " has no field '" + name + "' any more", ex);
		}
	}

	/**
	 * One entry as {@code MemoryStorage} holds it.
	 *
	 * @param value the value's bytes
	 * @param metadata the metadata's JSON, or {@code null}
	 * @param expiresAt the expiry in epoch milliseconds, {@link Long#MAX_VALUE} for never
	 */
	public record StoredEntry(byte[] value, byte @Nullable [] metadata, long expiresAt) {

		/**
		 * The metadata's JSON as text.
		 * @return the JSON, or {@code null} for none
		 */
		public @Nullable String metadataJson() {
			return (this.metadata != null) ? new String(this.metadata, StandardCharsets.UTF_8) : null;
		}

		/**
		 * Whether the entry never expires.
		 * @return {@code true} when its expiry is {@link Long#MAX_VALUE}
		 */
		public boolean neverExpires() {
			return this.expiresAt == Long.MAX_VALUE;
		}

		/**
		 * Value (hex), metadata and expiry as text.
		 * @return the description
		 */
		public String describe() {
			return "value=" + HexFormat.of().formatHex(this.value) + ", metadata=" + metadataJson() + ", expiresAt="
					+ (neverExpires() ? "never" : Long.toString(this.expiresAt));
		}

		@Override
		public boolean equals(Object other) {
			return (other instanceof StoredEntry that) && Arrays.equals(this.value, that.value)
					&& Arrays.equals(this.metadata, that.metadata) && this.expiresAt == that.expiresAt;
		}

		@Override
		public int hashCode() {
			return 31 * (31 * Arrays.hashCode(this.value) + Arrays.hashCode(this.metadata))
					+ Long.hashCode(this.expiresAt);
		}

		@Override
		public String toString() {
			return describe();
		}

		// Copies, so that a test cannot change what the store holds.
		private static StoredEntry of(Object entry) {
			RecordComponent[] components = entry.getClass().getRecordComponents();
			byte[] value = (byte[]) component(entry, components, "value");
			byte[] metadata = (byte[]) component(entry, components, "metadata");
			long expiresAt = (Long) component(entry, components, "expiresAt");
			return new StoredEntry(value.clone(), (metadata != null) ? metadata.clone() : null, expiresAt);
		}

		private static @Nullable Object component(Object entry, RecordComponent[] components, String name) {
			for (RecordComponent component : components) {
				if (component.getName().equals(name)) {
					try {
						java.lang.reflect.Method accessor = component.getAccessor();
						accessor.setAccessible(true);
						return accessor.invoke(entry);
					}
					catch (ReflectiveOperationException ex) {
						throw new IllegalStateException(ex);
					}
				}
			}
			throw new IllegalStateException(entry.getClass().getName() + " has no component '" + name + "' any more");
		}

	}

}
