package io.kvstore.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kvstore.KvStores;
import io.kvstore.core.KvStoreSettings;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code kv} actuator endpoint ({@link KvEndpoint}), when the actuator is on the
 * class path and the endpoint is available (exposed and not disabled).
 */
@AutoConfiguration(after = KvAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(KvEndpoint.class)
public final class KvEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(KvStores.class)
	KvEndpoint kvEndpoint(KvStores stores, KvStoreDeclarations declarations) {
		Map<String, KvStoreSettings> settings = new LinkedHashMap<>();
		declarations.stores().forEach((store) -> settings.put(store.name(), store.settings()));
		return new KvEndpoint(stores, settings);
	}

}
