package io.kvstore.autoconfigure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvReplicaAckSettings;
import io.kvstore.core.KvStoreSettings;
import io.kvstore.core.KvChecks;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * The stores declared under {@code kv.stores}, bound from the environment and checked:
 * store names, bean aliases, unknown settings and overlapping key prefixes; the settings
 * of each store are resolved and checked by {@link KvStoreSettingsResolver} (each error
 * names its property). Binding happens while bean definitions are registered, before any
 * {@code @ConfigurationProperties} bean exists, so the checks are made here by hand.
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
		// settings are bound with the empty declarations hidden, because a value at
		// kv.stores.x would otherwise be bound in place of the settings under it.
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
			stores.add(KvStoreSettingsResolver.resolve(name, alias, properties, settingsOnly));
		}
		checkPrefixesDoNotOverlap(stores);
		return new KvStoreDeclarations(List.copyOf(stores));
	}

	// Binds kv.*; a property under kv.stores.<name> that is no setting of a store fails,
	// so that a misspelt setting is not silently ignored.
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
							throw KvPropertyFailures.invalid(name.toString(), sources,
									"'" + name.getElement(4, ConfigurationPropertyName.Form.DASHED)
											+ "' is not a setting of a near cache; the settings are "
											+ NEAR_CACHE_SETTINGS,
									"Correct the name of the setting under kv.stores." + store
											+ ".near-cache, or remove it.",
									null);
						}
						if (name.getNumberOfElements() >= 5
								&& name.getElement(3, ConfigurationPropertyName.Form.UNIFORM).equals("redis")) {
							throw KvPropertyFailures.invalid(name.toString(), sources,
									"'" + name.getElement(4, ConfigurationPropertyName.Form.DASHED)
											+ "' is not a setting of how a store uses Redis; the settings are "
											+ REDIS_SETTINGS + " (restore is set for every store, under kv.redis)",
									"Correct the name of the setting under kv.stores." + store
											+ ".redis, or remove it.",
									null);
						}
						throw KvPropertyFailures.invalid(name.toString(), sources,
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

}
