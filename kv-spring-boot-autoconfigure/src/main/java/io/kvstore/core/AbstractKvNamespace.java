package io.kvstore.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.kvstore.KvGetOptions;
import io.kvstore.KvKey;
import io.kvstore.KvListOptions;
import io.kvstore.KvListResult;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract of {@link KvNamespace}, the same for every backend: each call is checked
 * ({@link KvChecks}, before any I/O), observed ({@code kv.operations}) and handed to the
 * backend's {@link KvStorage}, which only stores; values are encoded and decoded here
 * ({@link KvJson}).
 */
public abstract class AbstractKvNamespace implements KvNamespace {

	private static final String PUT = "put";

	private static final String GET = "get";

	private static final String GET_WITH_METADATA = "getWithMetadata";

	private static final String LIST = "list";

	private static final String DELETE = "delete";

	private static final String CLEAR = "clear";

	private static final String GET_ALL = "getAll";

	private static final String GET_ALL_WITH_METADATA = "getAllWithMetadata";

	private static final String DELETE_ALL = "deleteAll";

	private static final int MAX_BULK_READ = 100;

	private final String name;

	private final KvChecks checks;

	private final KvJson json;

	private final KvObserver observer;

	private final KvStorage storage;

	/**
	 * Creates a store.
	 * @param name the store name: lowercase letters, digits and {@code -}, starting with
	 * a letter, at most 63 characters
	 * @param settings the store's settings
	 * @param jsonMapper the mapper for JSON values and metadata
	 * @param clock the clock that absolute expirations are checked against
	 * @param observationRegistry where observations go; {@link ObservationRegistry#NOOP}
	 * for none, which costs nothing
	 * @param storage the backend
	 */
	protected AbstractKvNamespace(String name, KvStoreSettings settings, JsonMapper jsonMapper, Clock clock,
			ObservationRegistry observationRegistry, KvStorage storage) {
		KvChecks.checkStoreName(name);
		this.name = name;
		this.checks = new KvChecks(settings, clock);
		this.json = new KvJson(jsonMapper);
		this.observer = new KvObserver(name, KvChecks.notNull("observationRegistry", observationRegistry));
		this.storage = KvChecks.notNull("storage", storage);
	}

	@Override
	public final String name() {
		return this.name;
	}

	/**
	 * The settings of this store.
	 * @return the settings
	 */
	public final KvStoreSettings settings() {
		return this.checks.settings();
	}

	/**
	 * One round trip to where the entries are kept, for health checks.
	 * @return how long it took
	 */
	public final Duration ping() {
		return this.storage.ping();
	}

	/**
	 * Where this store keeps its entries: {@code redis} and its address, or
	 * {@code memory}.
	 * @return a short description
	 */
	public final String describeStorage() {
		return this.storage.describe();
	}

	// ---- put ----

	@Override
	public final void put(String key, String value) {
		put(key, value, KvPutOptions.none());
	}

	@Override
	public final void put(String key, String value, KvPutOptions options) {
		putValue(key, () -> this.checks.text(value), options);
	}

	@Override
	public final void put(String key, byte[] value) {
		put(key, value, KvPutOptions.none());
	}

	@Override
	public final void put(String key, byte[] value, KvPutOptions options) {
		putValue(key, () -> this.checks.value(value), options);
	}

	@Override
	public final void putJson(String key, Object value) {
		putJson(key, value, KvPutOptions.none());
	}

	@Override
	public final void putJson(String key, Object value, KvPutOptions options) {
		putValue(key, () -> this.checks.value(this.json.writeReadable("value", KvChecks.notNull("value", value))),
				options);
	}

	@Override
	public final void put(String key, InputStream value) {
		put(key, value, KvPutOptions.none());
	}

	@Override
	public final void put(String key, InputStream value, KvPutOptions options) {
		this.observer.observe(PUT, (observation) -> {
			byte[] checkedKey = this.checks.key(key);
			KvChecks.notNull("value", value);
			KvWrite write = write(options);
			try {
				observation.valueSize(this.storage.put(checkedKey, new LimitedInputStream(value, this.checks), write));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Reading the value of " + describe(key) + " failed", ex);
			}
			return null;
		});
	}

	// A put of a value held in memory: checks key, value and options in that order.
	private void putValue(String key, Supplier<byte[]> checkedValue, KvPutOptions options) {
		this.observer.observe(PUT, (observation) -> {
			byte[] checkedKey = this.checks.key(key);
			byte[] bytes = checkedValue.get();
			KvWrite write = write(options);
			observation.valueSize(bytes.length);
			this.storage.put(checkedKey, bytes, write);
			return null;
		});
	}

	private KvWrite write(KvPutOptions options) {
		KvChecks.notNull("options", options);
		KvExpiry expiry = this.checks.expiry(options);
		Object metadata = options.metadata();
		byte[] json = (metadata != null) ? this.checks.metadata(this.json.writeReadable("metadata", metadata)) : null;
		return new KvWrite(json, expiry);
	}

	// ---- get ----

	@Override
	public final @Nullable String get(String key) {
		return read(key, KvType.TEXT, false).value();
	}

	@Override
	public final <T> @Nullable T get(String key, KvType<T> type) {
		return read(key, type, false).value();
	}

	@Override
	public final KvValue<String> getWithMetadata(String key) {
		return read(key, KvType.TEXT, true);
	}

	@Override
	public final <T> KvValue<T> getWithMetadata(String key, KvType<T> type) {
		return read(key, type, true);
	}

	@Override
	public final <T> @Nullable T get(String key, KvType<T> type, KvGetOptions options) {
		return read(key, type, false, options).value();
	}

	@Override
	public final <T> KvValue<T> getWithMetadata(String key, KvType<T> type, KvGetOptions options) {
		return read(key, type, true, options);
	}

	private <T> KvValue<T> read(String key, KvType<T> type, boolean withMetadata) {
		return read(key, type, withMetadata, KvGetOptions.none());
	}

	@SuppressWarnings("unchecked")
	private <T> KvValue<T> read(String key, KvType<T> type, boolean withMetadata, KvGetOptions options) {
		return this.observer.observe(withMetadata ? GET_WITH_METADATA : GET, (observation) -> {
			byte[] checkedKey = this.checks.key(key);
			KvChecks.notNull("type", type);
			Long cacheTtl = this.checks.cacheTtl(options);
			KvStoredValue stored = this.storage.read(checkedKey, withMetadata, type.kind() == KvType.Kind.STREAM,
					cacheTtl);
			observation.found(stored != null && !stored.isMissing());
			if (stored == null) {
				return KvValue.missing();
			}
			if (stored.isMissing()) {
				return new KvValue<>(null, null, stored.cacheStatus());
			}
			observation.valueSize(stored.length());
			JsonNode metadata = withMetadata ? this.json.metadata(key, describe(key), stored.metadata()) : null;
			T value = (stored.stream() != null) ? (T) stored.stream()
					: this.json.decode(key, describe(key), stored.bytes(), type);
			return new KvValue<>(value, metadata, stored.cacheStatus());
		});
	}

	@Override
	public final Map<String, @Nullable String> get(Collection<String> keys) {
		return get(keys, KvType.TEXT);
	}

	@Override
	public final <T> Map<String, @Nullable T> get(Collection<String> keys, KvType<T> type) {
		Map<String, KvValue<T>> read = readAll(keys, type, false);
		Map<String, @Nullable T> values = new LinkedHashMap<>(read.size() * 2);
		read.forEach((key, value) -> values.put(key, value.value()));
		return values;
	}

	@Override
	public final Map<String, KvValue<String>> getWithMetadata(Collection<String> keys) {
		return getWithMetadata(keys, KvType.TEXT);
	}

	@Override
	public final <T> Map<String, KvValue<T>> getWithMetadata(Collection<String> keys, KvType<T> type) {
		return readAll(keys, type, true);
	}

	// Checks every key and the type, then one bulk read of the backend; decodes every
	// value before it returns any, so a value that is not JSON fails the whole call.
	private <T> Map<String, KvValue<T>> readAll(Collection<String> keys, KvType<T> type, boolean withMetadata) {
		return this.observer.observe(withMetadata ? GET_ALL_WITH_METADATA : GET_ALL, (observation) -> {
			Map<String, byte[]> checked = this.checks.keys(keys, MAX_BULK_READ, Integer.toString(MAX_BULK_READ));
			this.checks.bulkType(type);
			observation.keyCount(checked.size());
			Map<String, KvValue<T>> result = new LinkedHashMap<>(checked.size() * 2);
			if (checked.isEmpty()) {
				return result;
			}
			List<KvStoredValue> stored = this.storage.readAll(new ArrayList<>(checked.values()), withMetadata,
					(total) -> this.checks.bulkSize(checked.size(), total));
			int i = 0;
			long size = 0;
			boolean found = false;
			for (String key : checked.keySet()) {
				KvStoredValue entry = stored.get(i++);
				if (entry == null || entry.isMissing()) {
					result.put(key,
							(entry == null) ? KvValue.missing() : new KvValue<>(null, null, entry.cacheStatus()));
					continue;
				}
				found = true;
				size += entry.length();
				JsonNode metadata = withMetadata ? this.json.metadata(key, describe(key), entry.metadata()) : null;
				result.put(key, new KvValue<>(this.json.decode(key, describe(key), entry.bytes(), type), metadata,
						entry.cacheStatus()));
			}
			observation.found(found);
			observation.valueSize(size);
			return result;
		});
	}

	// ---- list ----

	@Override
	public final KvListResult list() {
		return list(KvListOptions.all());
	}

	@Override
	public final KvListResult list(KvListOptions options) {
		return this.observer.observe(LIST, (observation) -> {
			KvChecks.notNull("options", options);
			byte[] prefix = this.checks.prefix(options.prefix());
			int limit = this.checks.limit(options.limit());
			KvStorage.Page page = this.storage.list(prefix, limit, options.cursor());
			List<KvKey> keys = new ArrayList<>(page.keys().size());
			for (KvStorage.KvStoredKey key : page.keys()) {
				Long expiresAt = key.expiresAtMillis();
				String name = new String(key.key(), StandardCharsets.UTF_8);
				keys.add(new KvKey(name, (expiresAt != null) ? Math.floorDiv(expiresAt, 1000L) : null,
						this.json.metadata(name, describe(name), key.metadata())));
			}
			return new KvListResult(keys, page.cursor() == null, page.cursor());
		});
	}

	// ---- delete ----

	@Override
	public final void delete(String key) {
		this.observer.observe(DELETE, (observation) -> {
			this.storage.delete(this.checks.key(key));
			return null;
		});
	}

	@Override
	public final void delete(Collection<String> keys) {
		this.observer.observe(DELETE_ALL, (observation) -> {
			int max = settings().maxListLimit();
			Map<String, byte[]> checked = this.checks.keys(keys, max, max + " (the store's max-list-limit)");
			observation.keyCount(checked.size());
			if (!checked.isEmpty()) {
				this.storage.deleteAll(new ArrayList<>(checked.values()));
			}
			return null;
		});
	}

	@Override
	public final long clear() {
		return this.observer.observe(CLEAR, (observation) -> this.storage.clear());
	}

	/**
	 * How messages name a key of this store.
	 * @param key the key
	 * @return {@code key '<key>' in store '<store>'}
	 */
	protected final String describe(String key) {
		return describe(this.name, key);
	}

	/**
	 * How messages name a key of a store.
	 * @param store the store name
	 * @param key the key
	 * @return {@code key '<key>' in store '<store>'}
	 */
	public static String describe(String store, String key) {
		return "key '" + key + "' in store '" + store + "'";
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.name + ", " + this.storage.describe() + "]";
	}

}
