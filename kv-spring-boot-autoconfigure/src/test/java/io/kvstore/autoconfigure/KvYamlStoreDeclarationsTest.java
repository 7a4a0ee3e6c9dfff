package io.kvstore.autoconfigure;

import java.util.List;
import java.util.Map;

import org.assertj.core.api.InstanceOfAssertFactories;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code name: {}} in YAML declares a store exactly once on every Spring Boot line the
 * build tests: through {@link KvYamlStoreDeclarations} on Boot 4.0, whose YAML loader
 * drops empty maps, and through Boot's own property source on Boot 4.1
 * (spring-boot#48958), where {@link KvYamlStoreDeclarations} steps aside. No
 * auto-configuration: only the environment.
 */
class KvYamlStoreDeclarationsTest {

	private static final List<String> EMPTY_STORES = List.of("kv.stores.demo-cache", "kv.stores.files",
			"kv.stores.dotted-store");

	@Test
	void findsOutWhetherBootLoadsEmptyMapsItself() {
		boolean boot40 = SpringBootVersion.getVersion().startsWith("4.0.");
		assertThat(KvYamlStoreDeclarations.bootLoadsEmptyMaps()).as("Spring Boot " + SpringBootVersion.getVersion())
			.isEqualTo(!boot40);
	}

	@Test
	void emptyMapsDeclareTheirStoresOnceFromTheActiveDocumentsOnly() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(NoBeans.class)
			.web(WebApplicationType.NONE)
			.properties("spring.config.name=kv-starter-test")
			.run()) {
			var environment = context.getEnvironment();
			boolean bootDeclares = KvYamlStoreDeclarations.bootLoadsEmptyMaps();
			for (String store : EMPTY_STORES) {
				assertThat(environment.getProperty(store)).as(store).isEmpty();
				List<String> declaredBy = environment.getPropertySources()
					.stream()
					.filter((source) -> declares(source, store))
					.map(PropertySource::getName)
					.toList();
				// Boot 4.1: Boot's own source of the YAML file; Boot 4.0: the
				// re-reader's.
				assertThat(declaredBy).as(store)
					.singleElement()
					.satisfies((source) -> assertThat(source)
						.contains(bootDeclares ? "kv-starter-test.yml" : KvYamlStoreDeclarations.PROPERTY_SOURCE_NAME));
			}
			assertThat(environment.getProperty("kv.stores.inactive")).isNull();
			assertThat(environment.getPropertySources().contains(KvYamlStoreDeclarations.PROPERTY_SOURCE_NAME))
				.isEqualTo(!bootDeclares);
		}
	}

	@Test
	void readsTheYamlAgainOnlyWhereBootDropsEmptyMaps() {
		// The config source of kv-starter-test.yml as Boot 4.0 loads it: without the
		// empty maps.
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addLast(new OriginTrackedMapPropertySource(
					"Config resource 'class path resource [kv-starter-test.yml]' via location 'optional:classpath:/'",
					Map.of("kv.min-ttl", "1s", "kv.stores.sessions.default-ttl", "24h")));
		new KvYamlStoreDeclarations().postProcessEnvironment(environment, new SpringApplication(NoBeans.class));
		PropertySource<?> ours = environment.getPropertySources().get(KvYamlStoreDeclarations.PROPERTY_SOURCE_NAME);
		if (KvYamlStoreDeclarations.bootLoadsEmptyMaps()) {
			assertThat(ours).isNull();
		}
		else {
			assertThat(ours).isNotNull();
			assertThat(ours.getSource()).asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsOnlyKeys(EMPTY_STORES.toArray());
		}
	}

	// Whether a source holds the declaration, in any of the forms a YAML key takes
	// ("[files]" is loaded as kv.stores[files]).
	private static boolean declares(PropertySource<?> source, String property) {
		if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
			return false; // a view of all the others
		}
		String name = property.substring("kv.stores.".length());
		return source.containsProperty(property) || source.containsProperty("kv.stores[" + name + "]");
	}

	@SpringBootConfiguration
	static class NoBeans {

	}

}
