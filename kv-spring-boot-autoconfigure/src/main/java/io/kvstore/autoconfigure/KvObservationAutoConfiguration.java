package io.kvstore.autoconfigure;

import io.kvstore.KvStores;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Metrics of KV stores beyond the {@code kv.operations} timer that every observation
 * makes: the distribution summary {@code kv.value.size}, and the meters of near caches
 * ({@code kv.near-cache.*}, see {@link KvNearCacheMeterBinder}). Active when Micrometer
 * is on the class path; the stores observe their operations whenever the application has
 * an {@code ObservationRegistry} (Spring Boot's actuator gives one).
 */
@AutoConfiguration(after = KvAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
public final class KvObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KvValueSizeObservationHandler kvValueSizeObservationHandler(ObjectProvider<MeterRegistry> meterRegistry) {
		return new KvValueSizeObservationHandler(meterRegistry);
	}

	@Bean
	@ConditionalOnMissingBean
	KvNearCacheMeterBinder kvNearCacheMeterBinder(ObjectProvider<KvStores> stores) {
		return new KvNearCacheMeterBinder(stores);
	}

}
