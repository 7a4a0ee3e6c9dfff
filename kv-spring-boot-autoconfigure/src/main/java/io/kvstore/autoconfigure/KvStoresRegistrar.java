package io.kvstore.autoconfigure;

import java.time.Clock;

import io.kvstore.KvNamespace;
import io.kvstore.core.AbstractKvNamespace;
import io.kvstore.memory.MemoryKvNamespace;
import io.kvstore.redis.KvRedisConnection;
import io.kvstore.redis.RedisKvNamespace;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.beans.factory.support.BeanDefinitionOverrideException;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link KvNamespace} bean per store declared under {@code kv.stores}: the
 * bean name is the store name, with the camelCase alias; a store on the {@code redis}
 * backend shares the application's {@link KvRedisConnection}, one on {@code memory} keeps
 * its entries in the heap and its time from the application's {@link Clock} bean when
 * there is a unique or primary one (otherwise the system clock). Each store is logged
 * once, at INFO, when it is created. It runs with the environment of each start (also
 * under AOT, where the set of stores is not frozen at build time).
 * <p>
 * A bean of the application's own with a store's name wins: the store is not registered,
 * and {@link KvStoreBeanNamesCheck} makes sure that bean is a {@code KvNamespace}.
 */
class KvStoresRegistrar implements BeanRegistrar {

	private static final Log logger = LogFactory.getLog(KvStoresRegistrar.class);

	@Override
	public void register(BeanRegistry registry, Environment environment) {
		KvStoreDeclarations declarations = KvStoreDeclarations.bind(environment);
		for (KvStoreDeclarations.Declared store : declarations.stores()) {
			try {
				registry.registerBean(store.name(), KvNamespace.class,
						(spec) -> spec
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
							"the store's camelCase alias '" + store.alias() + "' clashes with another bean: "
									+ ex.getMessage(),
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
		JsonMapper jsonMapper = context.beanProvider(JsonMapper.class)
			.getIfAvailable(KvStoresRegistrar::defaultJsonMapper);
		ObservationRegistry observationRegistry = context.beanProvider(ObservationRegistry.class)
			.getIfAvailable(() -> ObservationRegistry.NOOP);
		AbstractKvNamespace created = switch (store.backend()) {
			case MEMORY -> new MemoryKvNamespace(store.name(), store.settings(), jsonMapper,
					context.beanProvider(Clock.class).getIfUnique(Clock::systemUTC), observationRegistry);
			case REDIS -> redisStore(store, redisConnection(store, context), jsonMapper, observationRegistry);
		};
		if (logger.isInfoEnabled()) {
			logger.info("KV store '" + store.name() + "': backend " + created.describeStorage()
					+ ((store.backend() == KvBackend.REDIS) ? ", key prefix '" + store.settings().keyPrefix() + "'"
							: ""));
		}
		return created;
	}

	private static RedisKvNamespace redisStore(KvStoreDeclarations.Declared store, KvRedisConnection connection,
			JsonMapper jsonMapper, ObservationRegistry observationRegistry) {
		try {
			return new RedisKvNamespace(store.name(), store.settings(), store.nearCache(), store.replicaAck(),
					connection, jsonMapper, Clock.systemUTC(), observationRegistry);
		}
		catch (IllegalArgumentException ex) {
			if (!store.replicaAck().waits()) {
				throw ex;
			}
			throw new KvConfigurationException(store.replicaAckProperty(), store.replicaAck().replicas(),
					"store '" + store.name() + "' waits for " + store.replicaAck().replicas()
							+ " replicas, which is not supported on Redis Cluster",
					"Remove " + store.replicaAckProperty() + " (or set it to 0), or use a single Redis or Sentinel.",
					ex);
		}
	}

	private static KvRedisConnection redisConnection(KvStoreDeclarations.Declared store,
			BeanRegistry.SupplierContext context) {
		KvRedisConnection connection = context.beanProvider(KvRedisConnection.class).getIfAvailable();
		if (connection == null) {
			throw new KvConfigurationException("kv.stores." + store.name(), null,
					"store '" + store.name() + "' is kept in Redis, but the application has no RedisConnectionFactory "
							+ "for it to use",
					"Add spring-boot-starter-data-redis (or define a LettuceConnectionFactory bean) and configure "
							+ "spring.data.redis.*, or keep the store in memory with kv.stores." + store.name()
							+ ".backend=memory (or kv.backend=memory for every store).");
		}
		return connection;
	}

	private static JsonMapper defaultJsonMapper() {
		return JsonMapper.builder().findAndAddModules().build();
	}

}
