package io.kvstore.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvReplicaAckSettings;
import io.kvstore.core.KvSettingException;
import io.kvstore.core.KvStoreSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

import static io.kvstore.autoconfigure.KvPropertyFailures.invalid;

/**
 * The settings of one declared store, resolved from the bound {@code kv.*} properties:
 * each from the store's own property under {@code kv.stores.<name>}, else from the one
 * under {@code kv.*}, else the default. Each group is checked once, by the settings class
 * of the core; a failure names the property that gave the value, as written, and its
 * origin.
 */
final class KvStoreSettingsResolver {

	private final String name;

	private final String storePrefix;

	private final KvStoreProperties store;

	private final KvProperties global;

	private final Iterable<ConfigurationPropertySource> sources;

	private KvStoreSettingsResolver(String name, KvStoreProperties store, KvProperties global,
			Iterable<ConfigurationPropertySource> sources) {
		this.name = name;
		this.storePrefix = "kv.stores." + name + ".";
		this.store = store;
		this.global = global;
		this.sources = sources;
	}

	/**
	 * Resolves and checks the settings of a store: its backend, its settings, how many
	 * replicas its writes wait for and its near cache, in that order.
	 * @param name the store name
	 * @param alias the camelCase alias of its bean
	 * @param properties the bound {@code kv.*}
	 * @param sources the property sources it was bound from, for the messages
	 * @throws KvConfigurationException naming the property at fault
	 */
	static KvStoreDeclarations.Declared resolve(String name, String alias, KvProperties properties,
			Iterable<ConfigurationPropertySource> sources) {
		KvStoreProperties store = properties.getStores().getOrDefault(name, new KvStoreProperties());
		KvStoreSettingsResolver resolver = new KvStoreSettingsResolver(name, store, properties, sources);
		KvBackend backend = (store.getBackend() != null) ? store.getBackend() : properties.getBackend();
		KvStoreSettings settings = resolver.settings();
		Map<String, Setting<?>> ackUsed = new HashMap<>();
		KvReplicaAckSettings replicaAck = resolver.replicaAck(backend, ackUsed);
		return new KvStoreDeclarations.Declared(name, alias, backend, settings, resolver.nearCache(backend, settings),
				replicaAck,
				Objects.requireNonNull(ackUsed.get("redis.replicasToWait"), "replicasToWait was picked").property());
	}

	// The store's settings (key prefix, TTLs, sizes, list limit).
	private KvStoreSettings settings() {
		Map<String, Setting<?>> used = new HashMap<>();
		Setting<String> keyPrefix = (this.store.getKeyPrefix() != null)
				? new Setting<>(this.storePrefix + "key-prefix", this.store.getKeyPrefix()) : new Setting<>(
						"kv.key-prefix", Objects.requireNonNullElse(this.global.getKeyPrefix(), "") + this.name + ":");
		used.put("keyPrefix", keyPrefix);
		Setting<@Nullable Duration> minTtl = pick(used, "minTtl", this.store.getMinTtl(), this.global.getMinTtl());
		Setting<@Nullable Duration> defaultTtl = pick(used, "defaultTtl", this.store.getDefaultTtl(),
				this.global.getDefaultTtl());
		Setting<@Nullable DataSize> maxKeySize = pick(used, "maxKeySize", this.store.getMaxKeySize(),
				this.global.getMaxKeySize());
		Setting<@Nullable DataSize> maxValueSize = pick(used, "maxValueSize", this.store.getMaxValueSize(),
				this.global.getMaxValueSize());
		Setting<@Nullable DataSize> maxMetadataSize = pick(used, "maxMetadataSize", this.store.getMaxMetadataSize(),
				this.global.getMaxMetadataSize());
		Setting<@Nullable Integer> maxListLimit = pick(used, "maxListLimit", this.store.getMaxListLimit(),
				this.global.getMaxListLimit());
		Setting<@Nullable Duration> minCacheTtl = pick(used, "minCacheTtl", this.store.getMinCacheTtl(),
				this.global.getMinCacheTtl());
		try {
			return KvStoreSettings.of(required(keyPrefix), defaultTtl.value(), required(maxKeySize).toBytes(),
					required(maxValueSize).toBytes(), required(maxMetadataSize).toBytes(), required(minTtl),
					required(maxListLimit), required(minCacheTtl));
		}
		catch (KvSettingException ex) {
			throw outOfRange(used, ex);
		}
	}

	// The near cache of a store, when enabled there or under kv.near-cache, from
	// kv.near-cache.* below the store's own; none for a store in memory.
	private @Nullable KvNearCacheSettings nearCache(KvBackend backend, KvStoreSettings settings) {
		KvStoreNearCacheProperties own = this.store.getNearCache();
		KvNearCacheProperties all = this.global.getNearCache();
		Map<String, Setting<?>> used = new HashMap<>();
		Setting<@Nullable Boolean> enabled = pick(used, "nearCache.enabled", own.getEnabled(), all.isEnabled());
		if (!Boolean.TRUE.equals(enabled.value())) {
			return null;
		}
		if (backend != KvBackend.REDIS) {
			// A store in the heap has nothing to cache near: the setting is ignored, so
			// that tests may run an application's stores in memory (kv.backend=memory)
			// unchanged.
			return null;
		}
		if (!ClassUtils.isPresent("com.github.benmanes.caffeine.cache.Caffeine",
				KvStoreSettingsResolver.class.getClassLoader())) {
			throw invalid(enabled.property(), this.sources,
					"the near cache of store '" + this.name + "' needs Caffeine, which is not on the class path",
					"Add the dependency com.github.ben-manes.caffeine:caffeine (its version is managed by Spring Boot), "
							+ "or remove " + enabled.property() + ".",
					null);
		}
		Setting<@Nullable Integer> maxEntries = pick(used, "nearCache.maxEntries", own.getMaxEntries(),
				all.getMaxEntries());
		Setting<@Nullable Duration> ttl = pick(used, "nearCache.ttl", own.getTtl(), all.getTtl());
		Setting<@Nullable DataSize> maxValueSize = pick(used, "nearCache.maxValueSize", own.getMaxValueSize(),
				all.getMaxValueSize());
		try {
			return KvNearCacheSettings.of(required(maxEntries), required(ttl), required(maxValueSize).toBytes(),
					settings.minCacheTtl());
		}
		catch (KvSettingException ex) {
			throw outOfRange(used, ex);
		}
	}

	// How many replicas a store's writes wait for, from kv.redis.* below the store's own;
	// checked also for a store in memory, which then ignores it, so that tests may run an
	// application's stores in memory unchanged.
	private KvReplicaAckSettings replicaAck(KvBackend backend, Map<String, Setting<?>> used) {
		Setting<@Nullable Integer> replicas = pick(used, "redis.replicasToWait",
				this.store.getRedis().getReplicasToWait(), this.global.getRedis().getReplicasToWait());
		Setting<@Nullable Duration> timeout = pick(used, "redis.waitTimeout", this.store.getRedis().getWaitTimeout(),
				this.global.getRedis().getWaitTimeout());
		KvReplicaAckSettings checked;
		try {
			checked = new KvReplicaAckSettings(required(replicas), required(timeout));
		}
		catch (KvSettingException ex) {
			throw outOfRange(used, ex);
		}
		return (backend == KvBackend.REDIS) ? checked : KvReplicaAckSettings.NONE;
	}

	// A setting the core found out of range, named by the property that gave it.
	private KvConfigurationException outOfRange(Map<String, Setting<?>> used, KvSettingException ex) {
		Setting<?> setting = used.get(ex.setting());
		String property = (setting != null) ? setting.property() : this.storePrefix + kebab(ex.setting());
		return invalid(property, this.sources, ex.getMessage(), fix(ex.setting(), this.name), ex);
	}

	// How to fix a setting that is out of range.
	private static String fix(String setting, String store) {
		return switch (setting) {
			case "keyPrefix" -> "Set a non-empty prefix such as 'kv:" + store + ":' (it may hold one complete hash tag "
					+ "such as '{" + store + "}', but no other braces), or remove the property to use the default.";
			case "minTtl" -> "Set it to a whole number of seconds, 1s or more, such as '60s' (the default).";
			case "minCacheTtl" -> "Set it to a whole number of seconds, 1s or more, such as '30s' (the default).";
			case "defaultTtl" ->
				"Set it to a whole number of seconds, at least the minimum TTL, such as '24h', or remove "
						+ "it so entries without expiration never expire.";
			case "maxListLimit" -> "Set it to 1000 (the default) or another value in range.";
			case "nearCache.maxEntries" -> "Set it to 10000 (the default) or another value in range.";
			case "nearCache.ttl" -> "Set it to a whole number of seconds, at least the store's min-cache-ttl, such as "
					+ "'60s' (the default).";
			case "nearCache.maxValueSize" -> "Set a size of at most 1MB, such as '64KB' (the default).";
			case "redis.replicasToWait" -> "Set it to 0 (the default: writes do not wait for replicas) or to how many "
					+ "replicas must have each write, at most " + KvReplicaAckSettings.MAX_REPLICAS + ".";
			case "redis.waitTimeout" -> "Set it to a whole number of milliseconds between 1ms and 10m, such as '1s' "
					+ "(the default), below spring.data.redis.timeout.";
			default -> "Set a size in range, such as '1KB' or '25MB' (sizes are binary: 1KB = 1024 bytes).";
		};
	}

	private <T> T required(Setting<@Nullable T> setting) {
		T value = setting.value();
		if (value == null) {
			throw invalid(setting.property(), this.sources, "the setting is empty",
					"Give it a value, or remove the property to use the default.", null);
		}
		return value;
	}

	// The store's value when it has one, else the one under kv.*, recorded in used
	// under the name of the setting.
	private <T> Setting<@Nullable T> pick(Map<String, Setting<?>> used, String setting, @Nullable T storeValue,
			@Nullable T globalValue) {
		String property = kebab(setting);
		Setting<@Nullable T> picked = (storeValue != null) ? new Setting<>(this.storePrefix + property, storeValue)
				: new Setting<>("kv." + property, globalValue);
		used.put(setting, picked);
		return picked;
	}

	// maxValueSize -> max-value-size
	private static String kebab(String camel) {
		return camel.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
	}

	// A setting's value and the property that gave it (or would have).
	private record Setting<T>(String property, @Nullable T value) {
	}

}
