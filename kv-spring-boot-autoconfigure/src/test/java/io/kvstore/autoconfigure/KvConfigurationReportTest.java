package io.kvstore.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Configuration errors the Spring Boot way: a setting that does not exist fails start-up
 * naming the valid ones, a bad value is reported as written with the file and line it
 * came from, and {@code kv.*} is a configuration properties bean (what
 * {@code /actuator/configprops} shows). No Redis is needed: the stores are in memory or
 * never used.
 */
class KvConfigurationReportTest {

	@Test
	void aMisspeltSettingFailsStartUpNamingTheValidSettingsAndWhereItIs() {
		FailureAnalysis analysis = startFailing("kv-typo-test");
		assertThat(analysis.getDescription()).contains("Property: kv.stores.sessions.default-tll")
			.contains("'default-tll' is not a setting of a store")
			.contains("backend, key-prefix, default-ttl, max-key-size, max-value-size, max-metadata-size, min-ttl, "
					+ "max-list-limit")
			.contains("Value: \"5m\"")
			.contains("Origin: class path resource [kv-typo-test.yml] - 5:20");
		assertThat(analysis.getAction()).contains("kv.stores.sessions");
	}

	@Test
	void aStoreDeclaredOnlyThroughAnUnknownSettingFailsStartUpInsteadOfMissing() {
		FailureAnalysis analysis = startFailing("kv-unknown-only-test");
		assertThat(analysis.getDescription()).contains("Property: kv.stores.demo-cache.max-size")
			.contains("'max-size' is not a setting of a store");
	}

	@Test
	void aBadValueIsReportedAsWrittenWithItsOrigin() {
		FailureAnalysis analysis = startFailing("kv-bad-value-test");
		assertThat(analysis.getDescription()).contains("Property: kv.stores.sessions.min-ttl")
			.contains("Value: \"-5s\"")
			.contains("Origin: class path resource [kv-bad-value-test.yml] - 5:16")
			.contains("'minTtl' must be a whole number of seconds, at least 1 second");
		assertThat(analysis.getAction()).contains("such as '60s'");
	}

	@Test
	void kvPropertiesAreAConfigurationPropertiesBeanWithTheStoresAndTheirSettings() {
		try (ConfigurableApplicationContext context = application().run("--kv.backend=memory",
				"--kv.stores.sessions.default-ttl=24h", "--kv.stores.demo-cache=", "--kv.min-ttl=5s")) {
			Map<String, ConfigurationPropertiesBean> beans = ConfigurationPropertiesBean.getAll(context);
			ConfigurationPropertiesBean kv = beans.values()
				.stream()
				.filter((bean) -> bean.getAnnotation().prefix().equals("kv"))
				.findFirst()
				.orElseThrow();
			KvProperties properties = (KvProperties) kv.getInstance();
			assertThat(properties.getBackend()).isEqualTo(KvBackend.MEMORY);
			assertThat(properties.getMinTtl()).hasSeconds(5);
			assertThat(properties.getStores()).containsOnlyKeys("sessions", "demo-cache");
			assertThat(properties.getStores().get("sessions").getDefaultTtl()).hasHours(24);
		}
	}

	private static FailureAnalysis startFailing(String configName) {
		Throwable failure = catchThrowable(() -> application().run("--spring.config.name=" + configName).close());
		assertThat(failure).isNotNull();
		Throwable cause = failure;
		while (cause != null && !(cause instanceof KvConfigurationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("a KvConfigurationException in %s", failure).isNotNull();
		return new KvFailureAnalyzer().analyze(failure);
	}

	private static SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).logStartupInfo(false);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
