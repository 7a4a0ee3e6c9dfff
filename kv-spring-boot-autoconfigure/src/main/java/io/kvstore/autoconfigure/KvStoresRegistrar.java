package io.kvstore.autoconfigure;

import java.time.Clock;

import io.kvstore.KvNamespace;
import io.kvstore.redis.KvRedisConnection;
import io.kvstore.redis.RedisKvNamespace;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.beans.factory.support.BeanDefinitionOverrideException;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link KvNamespace} bean per store declared under {@code kv.stores}: the bean
 * name is the store name, with the camelCase alias. It runs with the environment of each
 * start (also under AOT, where the set of stores is not frozen at build time).
 * <p>
 * A bean of the application's own with a store's name wins: the store is not registered, and
 * {@link KvStoreBeanNamesCheck} makes sure that bean is a {@code KvNamespace}.
 */
class KvStoresRegistrar implements BeanRegistrar {

	@Override
	public void register(BeanRegistry registry, Environment environment) {
		KvStoreDeclarations declarations = KvStoreDeclarations.bind(environment);
		for (KvStoreDeclarations.Declared store : declarations.stores()) {
			try {
				registry.registerBean(store.name(), KvNamespace.class, (spec) -> spec
					.description("KV store '" + store.name() + "' declared under kv.stores." + store.name())
					.supplier((context) -> create(store, context)));
			}
			catch (BeanDefinitionOverrideException ex) {
				// The application defines a bean with this name: it replaces the store.
			}
			if (!store.alias().equals(store.name())) {
				try {
					registry.registerAlias(store.name(), store.alias());
				}
				catch (IllegalStateException ex) {
					throw new KvConfigurationException("kv.stores." + store.name(), null,
							"the store's camelCase alias '" + store.alias() + "' clashes with another bean: " + ex.getMessage(),
							"Rename the store, or rename the bean '" + store.alias() + "'.", ex);
				}
			}
		}
		registry.registerBean("io.kvstore.autoconfigure.kvStoreBeanNamesCheck", KvStoreBeanNamesCheck.class,
				(spec) -> spec.infrastructure().supplier((context) -> new KvStoreBeanNamesCheck(declarations.names())));
		// What was bound here, for KvStores and the endpoint: bound once, used alike.
		registry.registerBean("io.kvstore.autoconfigure.kvStoreDeclarations", KvStoreDeclarations.class,
				(spec) -> spec.infrastructure().supplier((context) -> declarations));
	}

	private static KvNamespace create(KvStoreDeclarations.Declared store, BeanRegistry.SupplierContext context) {
		KvRedisConnection connection = context.beanProvider(KvRedisConnection.class).getIfAvailable();
		if (connection == null) {
			throw new KvConfigurationException("kv.stores", store.name(),
					"stores are declared, but the application has no RedisConnectionFactory for them to use",
					"Add spring-boot-starter-data-redis (or define a LettuceConnectionFactory bean) and configure "
							+ "spring.data.redis.*, or remove the stores declared under kv.stores.");
		}
		JsonMapper jsonMapper = context.beanProvider(JsonMapper.class).getIfAvailable(KvStoresRegistrar::defaultJsonMapper);
		ObservationRegistry observationRegistry = context.beanProvider(ObservationRegistry.class)
			.getIfAvailable(() -> ObservationRegistry.NOOP);
		return new RedisKvNamespace(store.name(), store.settings(), connection, jsonMapper, Clock.systemUTC(),
				observationRegistry);
	}

	private static JsonMapper defaultJsonMapper() {
		return JsonMapper.builder().findAndAddModules().build();
	}

}
