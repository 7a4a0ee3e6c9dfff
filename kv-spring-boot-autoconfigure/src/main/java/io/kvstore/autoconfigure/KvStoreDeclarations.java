package io.kvstore.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.kvstore.redis.KvStoreSettings;
import io.kvstore.redis.RedisKvNamespace;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * The stores declared under {@code kv.stores}, bound from the environment and checked: store
 * names, bean aliases, every setting (each error names its property) and overlapping key
 * prefixes. Binding happens while bean definitions are registered, before any
 * {@code @ConfigurationProperties} bean exists, so the checks are made here by hand.
 */
final class KvStoreDeclarations {

	private static final String STORES = "kv.stores";

	private final List<Declared> stores;

	private KvStoreDeclarations(List<Declared> stores) {
		this.stores = stores;
	}

	/**
	 * One declared store.
	 *
	 * @param name the store name, which is also its bean name
	 * @param alias the camelCase alias of the bean (equal to the name when the name has no
	 * {@code -})
	 * @param settings the resolved settings
	 */
	record Declared(String name, String alias, KvStoreSettings settings) {
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
		// settings (kv.stores.x.min-ttl=...). The names come from all of them; the settings are
		// bound with the empty declarations hidden, because a value at kv.stores.x would
		// otherwise be bound in place of the settings under it.
		Set<String> names = binder(environment, sources)
			.bind(STORES, Bindable.mapOf(String.class, KvProperties.Store.class))
			.map(Map::keySet)
			.orElseGet(Set::of);
		List<ConfigurationPropertySource> settingsOnly = new ArrayList<>();
		sources.forEach((source) -> settingsOnly.add(source.filter((name) -> !isDeclaration(name))));
		KvProperties properties = binder(environment, settingsOnly).bind("kv", Bindable.of(KvProperties.class))
			.orElseGet(KvProperties::new);
		List<Declared> stores = new ArrayList<>();
		Map<String, String> beanNames = new HashMap<>();
		for (String name : names) {
			checkName(name);
			String alias = alias(name);
			claim(beanNames, name, name);
			if (!alias.equals(name)) {
				claim(beanNames, alias, name);
			}
			KvProperties.Store store = properties.getStores().getOrDefault(name, new KvProperties.Store());
			stores.add(new Declared(name, alias, settings(name, store, properties)));
		}
		checkPrefixesDoNotOverlap(stores);
		return new KvStoreDeclarations(List.copyOf(stores));
	}

	private static boolean isDeclaration(ConfigurationPropertyName name) {
		return name.getNumberOfElements() == 3 && name.getElement(0, ConfigurationPropertyName.Form.UNIFORM).equals("kv")
				&& name.getElement(1, ConfigurationPropertyName.Form.UNIFORM).equals("stores");
	}

	private static Binder binder(Environment environment, Iterable<ConfigurationPropertySource> sources) {
		ApplicationConversionService conversionService = new ApplicationConversionService();
		conversionService.addConverter(new StoreDeclarationConverter());
		return new Binder(sources,
				(environment instanceof ConfigurableEnvironment configurable)
						? new PropertySourcesPlaceholdersResolver(configurable) : null,
				conversionService);
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
			RedisKvNamespace.checkStoreName(name);
		}
		catch (IllegalArgumentException ex) {
			throw new KvConfigurationException(STORES + "." + name, name,
					"'" + name + "' is not a valid store name: store names are lowercase letters, digits and '-', "
							+ "start with a letter and are at most 63 characters long",
					"Rename the store under kv.stores, for example to '" + suggestName(name) + "'.");
		}
	}

	private static String suggestName(String name) {
		String suggestion = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^[^a-z]+", "");
		suggestion = suggestion.isEmpty() ? "store" : suggestion;
		return (suggestion.length() > 63) ? suggestion.substring(0, 63) : suggestion;
	}

	private static void claim(Map<String, String> beanNames, String beanName, String store) {
		String other = beanNames.putIfAbsent(beanName, store);
		if (other != null && !other.equals(store)) {
			throw new KvConfigurationException(STORES + "." + store, null,
					"the store's bean name or camelCase alias '" + beanName + "' is also the name or alias of store '"
							+ other + "'",
					"Rename one of the stores '" + other + "' and '" + store + "' so their names differ by more than dashes.");
		}
	}

	private static KvStoreSettings settings(String name, KvProperties.Store store, KvProperties global) {
		String storePrefix = STORES + "." + name + ".";
		Setting<String> keyPrefix = (store.getKeyPrefix() != null)
				? new Setting<>(storePrefix + "key-prefix", store.getKeyPrefix())
				: new Setting<>("kv.key-prefix", Objects.requireNonNullElse(global.getKeyPrefix(), "") + name + ":");
		Setting<@Nullable Duration> minTtl = pick(storePrefix, "min-ttl", store.getMinTtl(), global.getMinTtl());
		Setting<@Nullable Duration> defaultTtl = pick(storePrefix, "default-ttl", store.getDefaultTtl(), global.getDefaultTtl());
		Setting<@Nullable DataSize> maxKeySize = pick(storePrefix, "max-key-size", store.getMaxKeySize(), global.getMaxKeySize());
		Setting<@Nullable DataSize> maxValueSize = pick(storePrefix, "max-value-size", store.getMaxValueSize(), global.getMaxValueSize());
		Setting<@Nullable DataSize> maxMetadataSize = pick(storePrefix, "max-metadata-size", store.getMaxMetadataSize(),
				global.getMaxMetadataSize());
		Setting<@Nullable Integer> maxListLimit = pick(storePrefix, "max-list-limit", store.getMaxListLimit(),
				global.getMaxListLimit());

		String prefix = keyPrefix.value();
		if (prefix == null || prefix.isEmpty()) {
			throw new KvConfigurationException(keyPrefix.property(), prefix, "the key prefix is empty: the store would "
					+ "share the whole Redis keyspace with everything else in it",
					"Set a non-empty prefix such as 'kv:" + name + ":', or remove the property to use the default.");
		}
		Duration min = required(minTtl);
		if (min.compareTo(Duration.ofSeconds(1)) < 0 || min.getNano() != 0) {
			throw new KvConfigurationException(minTtl.property(), min, "the minimum TTL must be a whole number of seconds, "
					+ "at least 1 second", "Set it to 1s or more, such as '60s' (the default).");
		}
		Duration ttl = defaultTtl.value();
		if (ttl != null && (ttl.compareTo(min) < 0 || ttl.getNano() != 0)) {
			throw new KvConfigurationException(defaultTtl.property(), ttl, "the default TTL must be a whole number of seconds, "
					+ "at least the minimum TTL (" + min.getSeconds() + "s, " + minTtl.property() + ")",
					"Set it to at least " + min.getSeconds() + "s, such as '24h', or remove it so entries without "
							+ "expiration never expire.");
		}
		int keySize = size(maxKeySize, 1, 65536);
		int valueSize = size(maxValueSize, 0, 512L * 1024 * 1024);
		int metadataSize = size(maxMetadataSize, 0, 512L * 1024 * 1024);
		int listLimit = required(maxListLimit);
		if (listLimit < 1 || listLimit > 100_000) {
			throw new KvConfigurationException(maxListLimit.property(), listLimit,
					"the largest list page must be between 1 and 100000", "Set it to 1000 (the default) or another value in range.");
		}
		try {
			return new KvStoreSettings(prefix, ttl, keySize, valueSize, metadataSize, min, listLimit);
		}
		catch (IllegalArgumentException ex) {
			// The settings' own rules (such as braces in the key prefix) have the last word.
			throw new KvConfigurationException(keyPrefix.property(), prefix, ex.getMessage(),
					"Fix the key prefix: it may hold one complete hash tag such as '{" + name + "}' but no other braces.", ex);
		}
	}

	private static int size(Setting<@Nullable DataSize> setting, long min, long max) {
		DataSize size = required(setting);
		long bytes = size.toBytes();
		if (bytes < min || bytes > max) {
			throw new KvConfigurationException(setting.property(), size, "the size must be between " + min + " and " + max
					+ " bytes", "Set a size in range, such as '1KB' or '25MB' (sizes are binary: 1KB = 1024 bytes).");
		}
		return (int) bytes;
	}

	private static <T> T required(Setting<@Nullable T> setting) {
		T value = setting.value();
		if (value == null) {
			throw new KvConfigurationException(setting.property(), null, "the setting is empty",
					"Give it a value, or remove the property to use the default.");
		}
		return value;
	}

	private static <T> Setting<@Nullable T> pick(String storePrefix, String name, @Nullable T storeValue,
			@Nullable T globalValue) {
		return (storeValue != null) ? new Setting<>(storePrefix + name, storeValue) : new Setting<>("kv." + name, globalValue);
	}

	private static void checkPrefixesDoNotOverlap(List<Declared> stores) {
		for (Declared a : stores) {
			for (Declared b : stores) {
				String pa = a.settings().keyPrefix();
				String pb = b.settings().keyPrefix();
				if (a != b && pa.startsWith(pb)) {
					String property = STORES + "." + a.name() + ".key-prefix";
					throw new KvConfigurationException(property, pa,
							"the key prefix of store '" + a.name() + "' starts with the key prefix '" + pb + "' of store '"
									+ b.name() + "': store '" + b.name() + "' would see and list the keys of store '"
									+ a.name() + "'",
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

	private record Setting<T>(String property, T value) {
	}

}
