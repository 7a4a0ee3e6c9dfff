package io.kvstore.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kvstore.KvNamespace;
import io.kvstore.KvStores;
import io.kvstore.redis.KvRedisConnection;
import io.kvstore.redis.RedisKvNamespace;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of KV stores: each store declared under {@code kv.stores} becomes a
 * {@link KvNamespace} bean (see {@link KvStoresRegistrar}), and {@link KvStores} finds
 * them by name. The stores on Redis share one {@link KvRedisConnection} opened from the
 * application's {@link RedisConnectionFactory}; stores in memory need none. All use the
 * application's Jackson {@code JsonMapper}. This class wires; the contract's rules are in
 * {@code io.kvstore.core}.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class, RedisKvNamespace.class })
@EnableConfigurationProperties(KvProperties.class)
@Import(KvStoresRegistrar.class)
public final class KvAutoConfiguration {

	// Lets the KvProperties bean (shown by /actuator/configprops) bind a store declared
	// without settings, as the registrar does.
	@Bean
	@ConfigurationPropertiesBinding
	static StoreDeclarationConverter kvStoreDeclarationConverter() {
		return new StoreDeclarationConverter();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(RedisConnectionFactory.class)
	KvRedisConnection kvRedisConnection(RedisConnectionFactory redisConnectionFactory, KvProperties properties) {
		try {
			return new KvRedisConnection(redisConnectionFactory, properties.getRedis().getRestore());
		}
		catch (IllegalArgumentException ex) {
			throw new KvConfigurationException("spring.data.redis.client-type", null, String.valueOf(ex.getMessage()),
					"KV stores need Lettuce: set spring.data.redis.client-type=lettuce and keep io.lettuce:lettuce-core "
							+ "on the class path, or define a LettuceConnectionFactory bean.",
					ex);
		}
	}

	@Bean
	@ConditionalOnMissingBean
	KvStores kvStores(KvStoreDeclarations declarations, ListableBeanFactory beanFactory) {
		Map<String, KvNamespace> stores = new LinkedHashMap<>();
		for (String name : declarations.names()) {
			stores.put(name, beanFactory.getBean(name, KvNamespace.class));
		}
		return KvStores.of(stores);
	}

}
