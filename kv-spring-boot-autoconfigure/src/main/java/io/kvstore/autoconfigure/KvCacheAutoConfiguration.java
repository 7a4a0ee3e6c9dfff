package io.kvstore.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.kvstore.KvStores;
import io.kvstore.cache.KvCache;
import io.kvstore.cache.KvCacheManager;
import io.kvstore.cache.KvCacheResolver;
import io.kvstore.cache.KvCacheValues;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

/**
 * Spring Cache over the stores: with {@code kv.cache.enabled=true} and
 * {@code @EnableCaching}, a {@link KvCacheManager} in which every declared store is a
 * cache of the same name (unless the application defines its own {@link CacheManager}),
 * and a {@link CachingConfigurer} whose resolver names the declared stores when a cache
 * name is unknown (unless the application has its own configurer). Values read back only
 * as types of the application's packages and of {@code kv.cache.allowed-packages}.
 */
@AutoConfiguration(after = KvAutoConfiguration.class,
		beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnClass(CacheManager.class)
@ConditionalOnBean({ CacheAspectSupport.class, KvStores.class })
@ConditionalOnProperty(name = "kv.cache.enabled", havingValue = "true")
public final class KvCacheAutoConfiguration {

	private static final Log logger = LogFactory.getLog(KvCacheAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(CacheManager.class)
	KvCacheManager cacheManager(KvStores stores, KvProperties properties, ObjectProvider<JsonMapper> jsonMapper,
			BeanFactory beanFactory) {
		List<String> allowed = new ArrayList<>();
		if (AutoConfigurationPackages.has(beanFactory)) {
			allowed.addAll(AutoConfigurationPackages.get(beanFactory));
		}
		allowed.addAll(properties.getCache().getAllowedPackages());
		KvCacheValues values = new KvCacheValues(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()),
				allowed);
		logger.info("KV stores " + stores.names() + " are Spring caches; cached values read back as types of "
				+ values.allowedPackages());
		return new KvCacheManager(stores, values, properties.getCache().isCacheNullValues());
	}

	@Bean
	@ConditionalOnMissingBean(CachingConfigurer.class)
	@ConditionalOnBean(KvCacheManager.class)
	CachingConfigurer kvCachingConfigurer(KvCacheManager cacheManager) {
		return new CachingConfigurer() {

			@Override
			public CacheManager cacheManager() {
				return cacheManager;
			}

			@Override
			public CacheResolver cacheResolver() {
				return new KvCacheResolver(cacheManager);
			}

		};
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ CacheMeterBinderProvider.class, CacheMeterBinder.class })
	static class KvCacheMetricsConfiguration {

		@Bean
		CacheMeterBinderProvider<KvCache> kvCacheMeterBinderProvider() {
			return (cache, tags) -> new KvCacheMeterBinder(cache, tags);
		}

	}

}
