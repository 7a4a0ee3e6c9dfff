package io.kvstore.autoconfigure;

import io.kvstore.KvNamespace;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.CompositeHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code kv} health contributor: one indicator per store (a round trip to Redis
 * each), under the store's name. Present when Spring Boot's health support is on the
 * class path and stores are declared; {@code management.health.kv.enabled=false} turns it
 * off.
 */
@AutoConfiguration(after = KvAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(KvNamespace.class)
@ConditionalOnEnabledHealthIndicator("kv")
public final class KvHealthContributorAutoConfiguration
		extends CompositeHealthContributorConfiguration<KvStoreHealthIndicator, KvNamespace> {

	KvHealthContributorAutoConfiguration() {
		super(KvStoreHealthIndicator::new);
	}

	@Bean
	@ConditionalOnMissingBean(name = { "kvHealthIndicator", "kvHealthContributor" })
	HealthContributor kvHealthContributor(ConfigurableListableBeanFactory beanFactory) {
		return createContributor(beanFactory, KvNamespace.class);
	}

}
