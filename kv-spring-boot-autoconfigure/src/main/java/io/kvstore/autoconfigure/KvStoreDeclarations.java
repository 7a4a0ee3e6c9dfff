package io.kvstore.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvReplicaAckSettings;
import io.kvstore.core.KvSettingException;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.core.KvChecks;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * The stores declared under {@code kv.stores}, bound from the environment and checked:
 * store names, bean aliases, every setting (each error names its property) and
 * overlapping key prefixes. Binding happens while bean definitions are registered, before
 * any {@code @ConfigurationProperties} bean exists, so the checks are made here by hand.
 */
final class KvStoreDeclarations {

	private static final String STORES = "kv.stores";

	/**
	 * The settings a store may have under kv.stores.<name>, for the message about an
	 * unknown one.
	 */
	static final List<String> STORE_SETTINGS = List.of("backend", "key-prefix", "default-ttl", "max-key-size",
			"max-value-size", "max-metadata-size", "min-ttl", "max-list-limit", "min-cache-ttl", "near-cache", "redis");

	/**
	 * The settings of a store's near cache, under kv.stores.<name>.near-cache and
	 * kv.near-cache.
	 */
	static final List<String> NEAR_CACHE_SETTINGS = List.of("enabled", "max-entries", "ttl", "max-value-size");

	/**
	 * The settings of how a store uses Redis, under kv.stores.<name>.redis and kv.redis
	 * (which has more, for every store: restore).
	 */
	static final List<String> REDIS_SETTINGS = List.of("replicas-to-wait", "wait-timeout");

	private final List<Declared> stores;

	private KvStoreDeclarations(List<Declared> stores) {
		this.stores = stores;
	}

	/**
	 * One declared store.
	 *
	 * @param name the store name, which is also its bean name
	 * @param alias the camelCase alias of the bean (equal to the name when the name has
	 * no {@code -})
	 * @param backend where the store keeps its entries
	 * @param settings the resolved settings
	 * @param nearCache the settings of its near cache, or {@code null} when it has none
	 * @param replicaAck how many replicas its writes wait for
	 * ({@link KvReplicaAckSettings#NONE} in memory)
	 * @param replicaAckProperty the property that gave the number of replicas
	 */
	record Declared(String name, String alias, KvBackend backend, KvStoreSettings settings,
			@Nullable KvNearCacheSettings nearCache, KvReplicaAckSettings replicaAck, String replicaAckProperty) {
	}

	List<Declared> stores() {
		return this.stores;
	}

	/**
	 * Binds and checks the declarations.
	 * @throws KvConfigurationException naming the property at fault
	 */
	static KvStoreDeclarations bind(Environment environment) {
		Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
		// A store is declared by a property under its name, empty (kv.stores.x=) or with
		// settings (kv.stores.x.min-ttl=...). The names come from all of them; the
		// settings are
		// bound with the empty declarations hidden, because a value at kv.stores.x would
		// otherwise be bound in place of the settings under it.
		Set<String> names = binder(environment, sources)
			.bind(STORES, Bindable.mapOf(String.class, KvStoreProperties.class))
			.map(Map::keySet)
			.orElseGet(Set::of);
		List<ConfigurationPropertySource> settingsOnly = new ArrayList<>();
		sources.forEach((source) -> settingsOnly.add(source.filter((name) -> !isDeclaration(name))));
		KvProperties properties = bindSettings(binder(environment, settingsOnly), settingsOnly);
		List<Declared> stores = new ArrayList<>();
		Map<String, String> beanNames = new HashMap<>();
		for (String name : names) {
			checkName(name);
			String alias = alias(name);
			claim(beanNames, name, name);
			if (!alias.equals(name)) {
				claim(beanNames, alias, name);
			}
			KvStoreProperties store = properties.getStores().getOrDefault(name, new KvStoreProperties());
			KvBackend backend = (store.getBackend() != null) ? store.getBackend() : properties.getBackend();
			KvStoreSettings settings = settings(name, store, properties, settingsOnly);
			Map<String, Setting<?>> ackUsed = new HashMap<>();
			KvReplicaAckSettings replicaAck = replicaAck(name, backend, store, properties, settingsOnly, ackUsed);
			stores.add(new Declared(name, alias, backend, settings,
					nearCache(name, backend, settings, store, properties, settingsOnly), replicaAck,
					Objects.requireNonNull(ackUsed.get("redis.replicasToWait"), "replicasToWait was picked")
						.property()));
		}
		checkPrefixesDoNotOverlap(stores);
		return new KvStoreDeclarations(List.copyOf(stores));
	}

	// Binds kv.*; a property under kv.stores.<name> that is no setting of a store fails,
	// so
	// that a misspelt setting is not silently ignored.
	private static KvProperties bindSettings(Binder binder, Iterable<ConfigurationPropertySource> sources) {
		Set<ConfigurationPropertyName> bound = new HashSet<>();
		BindHandler recording = new BindHandler() {
			@Override
			public @Nullable Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
					Object result) {
				bound.add(name);
				return result;
			}
		};
		KvProperties properties = binder.bind("kv", Bindable.of(KvProperties.class), recording)
			.orElseGet(KvProperties::new);
		for (ConfigurationPropertySource source : sources) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				for (ConfigurationPropertyName name : iterable) {
					if (isStoreSetting(name) && !bound.contains(name)) {
						String store = name.getElement(2, ConfigurationPropertyName.Form.ORIGINAL);
						if (name.getNumberOfElements() >= 5
								&& name.getElement(3, ConfigurationPropertyName.Form.UNIFORM).equals("nearcache")) {
							throw invalid(name.toString(), sources,
									"'" + name.getElement(4, ConfigurationPropertyName.Form.DASHED)
											+ "' is not a setting of a near cache; the settings are "
											+ NEAR_CACHE_SETTINGS,
									"Correct the name of the setting under kv.stores." + store
											+ ".near-cache, or remove it.",
									null);
						}
						if (name.getNumberOfElements() >= 5
								&& name.getElement(3, ConfigurationPropertyName.Form.UNIFORM).equals("redis")) {
							throw invalid(name.toString(), sources,
									"'" + name.getElement(4, ConfigurationPropertyName.Form.DASHED)
											+ "' is not a setting of how a store uses Redis; the settings are "
											+ REDIS_SETTINGS + " (restore is set for every store, under kv.redis)",
									"Correct the name of the setting under kv.stores." + store
											+ ".redis, or remove it.",
									null);
						}
						throw invalid(name.toString(), sources,
								"'" + name.getElement(3, ConfigurationPropertyName.Form.DASHED)
										+ "' is not a setting of a store; the settings are " + STORE_SETTINGS,
								"Correct the name of the setting under kv.stores." + store + ", or remove it.", null);
					}
				}
			}
		}
		return properties;
	}

	// kv.stores.<name>.<anything>: the properties of a store's settings.
	private static boolean isStoreSetting(ConfigurationPropertyName name) {
		return name.getNumberOfElements() >= 4
				&& name.getElement(0, ConfigurationPropertyName.Form.UNIFORM).equals("kv")
				&& name.getElement(1, ConfigurationPropertyName.Form.UNIFORM).equals("stores");
	}

	private static boolean isDeclaration(ConfigurationPropertyName name) {
		return name.getNumberOfElements() == 3
				&& name.getElement(0, ConfigurationPropertyName.Form.UNIFORM).equals("kv")
				&& name.getElement(1, ConfigurationPropertyName.Form.UNIFORM).equals("stores");
	}

	private static Binder binder(Environment environment, Iterable<ConfigurationPropertySource> sources) {
		ApplicationConversionService conversionService = new ApplicationConversionService();
		conversionService.addConverter(new StoreDeclarationConverter());
		return new Binder(sources, (environment instanceof ConfigurableEnvironment configurable)
				? new PropertySourcesPlaceholdersResolver(configurable) : null, conversionService);
	}

	/**
	 * The camelCase alias of a store name: {@code demo-cache} becomes {@code demoCache}.
	 */
	static String alias(String name) {
		StringBuilder alias = new StringBuilder(name.length());
		boolean upper = false;
		for (char c : name.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				alias.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return alias.toString();
	}

	private static void checkName(String name) {
		try {
			KvChecks.checkStoreName(name);
		}
		catch (IllegalArgumentException ex) {
			throw new KvConfigurationException(STORES + "." + name, name,
					"'" + name + "' is not a valid store name: store names are lowercase letters, digits and '-', "
							+ "start with a letter and are at most 63 characters long",
					"Rename the store under kv.stores, for example to '" + suggestName(name) + "'.");
		}
	}

	private static String suggestName(String name) {
		String suggestion = name.toLowerCase(java.util.Locale.ROOT)
			.replaceAll("[^a-z0-9-]+", "-")
			.replaceAll("^[^a-z]+", "");
		suggestion = suggestion.isEmpty() ? "store" : suggestion;
		return (suggestion.length() > 63) ? suggestion.substring(0, 63) : suggestion;
	}

	private static void claim(Map<String, String> beanNames, String beanName, String store) {
		String other = beanNames.putIfAbsent(beanName, store);
		if (other != null && !other.equals(store)) {
			throw new KvConfigurationException(STORES + "." + store, null,
					"the store's bean name or camelCase alias '" + beanName + "' is also the name or alias of store '"
							+ other + "'",
					"Rename one of the stores '" + other + "' and '" + store
							+ "' so their names differ by more than dashes.");
		}
	}

	// Each setting from the store's property, else from the one under kv.*, else the
	// contract's default; then checked once, by KvStoreSettings, whose message names the
	// setting; the report names the property that gave the value, as written, and its
	// origin.
	private static KvStoreSettings settings(String name, KvStoreProperties store, KvProperties global,
			Iterable<ConfigurationPropertySource> sources) {
		String storePrefix = STORES + "." + name + ".";
		Map<String, Setting<?>> used = new HashMap<>();
		Setting<String> keyPrefix = (store.getKeyPrefix() != null)
				? new Setting<>(storePrefix + "key-prefix", store.getKeyPrefix())
				: new Setting<>("kv.key-prefix", Objects.requireNonNullElse(global.getKeyPrefix(), "") + name + ":");
		used.put("keyPrefix", keyPrefix);
		Setting<@Nullable Duration> minTtl = pick(used, "minTtl", storePrefix, store.getMinTtl(), global.getMinTtl());
		Setting<@Nullable Duration> defaultTtl = pick(used, "defaultTtl", storePrefix, store.getDefaultTtl(),
				global.getDefaultTtl());
		Setting<@Nullable DataSize> maxKeySize = pick(used, "maxKeySize", storePrefix, store.getMaxKeySize(),
				global.getMaxKeySize());
		Setting<@Nullable DataSize> maxValueSize = pick(used, "maxValueSize", storePrefix, store.getMaxValueSize(),
				global.getMaxValueSize());
		Setting<@Nullable DataSize> maxMetadataSize = pick(used, "maxMetadataSize", storePrefix,
				store.getMaxMetadataSize(), global.getMaxMetadataSize());
		Setting<@Nullable Integer> maxListLimit = pick(used, "maxListLimit", storePrefix, store.getMaxListLimit(),
				global.getMaxListLimit());
		Setting<@Nullable Duration> minCacheTtl = pick(used, "minCacheTtl", storePrefix, store.getMinCacheTtl(),
				global.getMinCacheTtl());
		try {
			return KvStoreSettings.of(required(keyPrefix, sources), defaultTtl.value(),
					required(maxKeySize, sources).toBytes(), required(maxValueSize, sources).toBytes(),
					required(maxMetadataSize, sources).toBytes(), required(minTtl, sources),
					required(maxListLimit, sources), required(minCacheTtl, sources));
		}
		catch (KvSettingException ex) {
			Setting<?> setting = used.get(ex.setting());
			String property = (setting != null) ? setting.property() : storePrefix + kebab(ex.setting());
			throw invalid(property, sources, ex.getMessage(), fix(ex.setting(), name), ex);
		}
	}

	// The near cache of a store, when enabled there or under kv.near-cache: each setting
	// from
	// the store's property, else from kv.near-cache.*, else the default; checked once.
	private static @Nullable KvNearCacheSettings nearCache(String name, KvBackend backend, KvStoreSettings settings,
			KvStoreProperties store, KvProperties global, Iterable<ConfigurationPropertySource> sources) {
		String storePrefix = STORES + "." + name + ".";
		KvStoreNearCacheProperties own = store.getNearCache();
		KvNearCacheProperties all = global.getNearCache();
		Map<String, Setting<?>> used = new HashMap<>();
		Setting<@Nullable Boolean> enabled = pick(used, "nearCache.enabled", storePrefix, own.getEnabled(),
				all.isEnabled());
		if (!Boolean.TRUE.equals(enabled.value())) {
			return null;
		}
		if (backend != KvBackend.REDIS) {
			// A store in the heap has nothing to cache near: the setting is ignored, so
			// that
			// tests may run an application's stores in memory (kv.backend=memory)
			// unchanged.
			return null;
		}
		if (!org.springframework.util.ClassUtils.isPresent("com.github.benmanes.caffeine.cache.Caffeine",
				KvStoreDeclarations.class.getClassLoader())) {
			throw invalid(enabled.property(), sources,
					"the near cache of store '" + name + "' needs Caffeine, which is not on the class path",
					"Add the dependency com.github.ben-manes.caffeine:caffeine (its version is managed by Spring Boot), "
							+ "or remove " + enabled.property() + ".",
					null);
		}
		Setting<@Nullable Integer> maxEntries = pick(used, "nearCache.maxEntries", storePrefix, own.getMaxEntries(),
				all.getMaxEntries());
		Setting<@Nullable Duration> ttl = pick(used, "nearCache.ttl", storePrefix, own.getTtl(), all.getTtl());
		Setting<@Nullable DataSize> maxValueSize = pick(used, "nearCache.maxValueSize", storePrefix,
				own.getMaxValueSize(), all.getMaxValueSize());
		try {
			return KvNearCacheSettings.of(required(maxEntries, sources), required(ttl, sources),
					required(maxValueSize, sources).toBytes(), settings.minCacheTtl());
		}
		catch (KvSettingException ex) {
			Setting<?> setting = used.get(ex.setting());
			String property = (setting != null) ? setting.property() : storePrefix + kebab(ex.setting());
			throw invalid(property, sources, ex.getMessage(), fix(ex.setting(), name), ex);
		}
	}

	// How many replicas a store's writes wait for: each setting from the store's
	// property,
	// else from kv.redis.*, else the default; checked once, also for a store in memory
	// (which then ignores it, so that tests may run an application's stores in memory
	// unchanged).
	private static KvReplicaAckSettings replicaAck(String name, KvBackend backend, KvStoreProperties store,
			KvProperties global, Iterable<ConfigurationPropertySource> sources, Map<String, Setting<?>> used) {
		String storePrefix = STORES + "." + name + ".";
		Setting<@Nullable Integer> replicas = pick(used, "redis.replicasToWait", storePrefix,
				store.getRedis().getReplicasToWait(), global.getRedis().getReplicasToWait());
		Setting<@Nullable Duration> timeout = pick(used, "redis.waitTimeout", storePrefix,
				store.getRedis().getWaitTimeout(), global.getRedis().getWaitTimeout());
		KvReplicaAckSettings checked;
		try {
			checked = new KvReplicaAckSettings(required(replicas, sources), required(timeout, sources));
		}
		catch (KvSettingException ex) {
			Setting<?> setting = used.get(ex.setting());
			String property = (setting != null) ? setting.property() : storePrefix + kebab(ex.setting());
			throw invalid(property, sources, ex.getMessage(), fix(ex.setting(), name), ex);
		}
		return (backend == KvBackend.REDIS) ? checked : KvReplicaAckSettings.NONE;
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

	/**
	 * A start-up failure for a property, with its value as written and where it came from
	 * (a file and line, or the environment).
	 */
	static KvConfigurationException invalid(String property, Iterable<ConfigurationPropertySource> sources,
			String problem, String action, @Nullable Throwable cause) {
		ConfigurationProperty written = find(property, sources);
		Object value = (written != null) ? written.getValue() : null;
		Origin origin = (written != null) ? written.getOrigin() : null;
		return new KvConfigurationException(property, value, (origin != null) ? origin.toString() : null, problem,
				action, cause);
	}

	private static @Nullable ConfigurationProperty find(String property,
			Iterable<ConfigurationPropertySource> sources) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : sources) {
			ConfigurationProperty found = source.getConfigurationProperty(name);
			if (found != null) {
				return found;
			}
		}
		return null;
	}

	private static <T> T required(Setting<@Nullable T> setting, Iterable<ConfigurationPropertySource> sources) {
		T value = setting.value();
		if (value == null) {
			throw invalid(setting.property(), sources, "the setting is empty",
					"Give it a value, or remove the property to use the default.", null);
		}
		return value;
	}

	private static <T> Setting<@Nullable T> pick(Map<String, Setting<?>> used, String setting, String storePrefix,
			@Nullable T storeValue, @Nullable T globalValue) {
		String property = kebab(setting);
		Setting<@Nullable T> picked = (storeValue != null) ? new Setting<>(storePrefix + property, storeValue)
				: new Setting<>("kv." + property, globalValue);
		used.put(setting, picked);
		return picked;
	}

	// maxValueSize -> max-value-size
	private static String kebab(String camel) {
		return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
	}

	private static void checkPrefixesDoNotOverlap(List<Declared> stores) {
		for (Declared a : stores) {
			for (Declared b : stores) {
				String pa = a.settings().keyPrefix();
				String pb = b.settings().keyPrefix();
				if (a != b && pa.startsWith(pb)) {
					String property = STORES + "." + a.name() + ".key-prefix";
					throw new KvConfigurationException(property, pa,
							"the key prefix of store '" + a.name() + "' starts with the key prefix '" + pb
									+ "' of store '" + b.name() + "': store '" + b.name()
									+ "' would see and list the keys of store '" + a.name() + "'",
							"Give each store a key prefix that no other store's prefix starts with, such as the defaults "
									+ "'kv:<store>:'.");
				}
			}
		}
	}

	/**
	 * The names of the declared stores, for {@link io.kvstore.KvStores}.
	 */
	List<String> names() {
		return this.stores.stream().map(Declared::name).toList();
	}

	private record Setting<T>(String property, @Nullable T value) {
	}

}
