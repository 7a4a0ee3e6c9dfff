package io.kvstore.autoconfigure;

import java.util.List;
import java.util.Map;

import io.kvstore.KvKey;
import io.kvstore.KvListResult;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.core.KvObservationConvention;
import io.kvstore.test.RedisExtension;
import io.kvstore.test.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Observations and metrics of store operations, the {@code kv} health contributor and the
 * {@code kv} actuator endpoint, each with its conditions.
 */
@ExtendWith(RedisExtension.class)
class KvObservabilityAutoConfigurationTest {

	private ApplicationContextRunner runner;

	@BeforeEach
	void runner(RedisServer redis) {
		redis.flushAll();
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					KvAutoConfiguration.class, KvObservationAutoConfiguration.class,
					KvHealthContributorAutoConfiguration.class, KvEndpointAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"kv.stores.sessions=", "kv.stores.demo-cache=");
	}

	@Test
	void everyOperationIsObservedAsKvOperationsWithStoreOperationOutcomeAndResult() {
		this.runner.withUserConfiguration(TestObservations.class).run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			KvNamespace store = context.getBean("sessions", KvNamespace.class);
			store.put("k", "value");
			store.get("k");
			store.get("missing");
			store.getWithMetadata("k");
			store.list();
			store.delete("k");
			try {
				store.put("", "v");
			}
			catch (IllegalArgumentException expected) {
				// observed as an error
			}
			TestObservationRegistryAssert.assertThat(registry)
				.hasNumberOfObservationsWithNameEqualTo(KvObservationConvention.NAME, 7)
				.forAllObservationsWithNameEqualTo(KvObservationConvention.NAME,
						(observation) -> observation.hasLowCardinalityKeyValue("store", "sessions"));
			TestObservationRegistryAssert.assertThat(registry)
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("operation", "get")
					.hasLowCardinalityKeyValue("result", "hit")
					.hasLowCardinalityKeyValue("outcome", "success")
					.hasContextualNameEqualTo("kv get"))
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("operation", "get")
					.hasLowCardinalityKeyValue("result", "miss"))
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("operation", "put")
					.hasLowCardinalityKeyValue("outcome", "error")
					.hasLowCardinalityKeyValue("result", "none")
					.assertThatError()
					.isInstanceOf(IllegalArgumentException.class))
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("operation", "list"))
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("operation", "delete"))
				.hasAnObservation(
						(observation) -> observation.hasLowCardinalityKeyValue("operation", "getWithMetadata"));
		});
	}

	@Test
	void aBulkCallIsOneObservationWithTheNumberOfKeys() {
		this.runner.withUserConfiguration(TestObservations.class).run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			KvNamespace store = context.getBean("sessions", KvNamespace.class);
			store.put("a", "1");
			store.get(List.of("a", "b", "a", "c"));
			store.getWithMetadata(List.of("a"));
			store.delete(List.of("a", "b"));
			store.clear();
			TestObservationRegistryAssert.assertThat(registry)
				.hasNumberOfObservationsWithNameEqualTo(KvObservationConvention.NAME, 5);
			TestObservationRegistryAssert.assertThat(registry)
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("operation", "getAll")
					.hasHighCardinalityKeyValue("keys", "3")
					.hasLowCardinalityKeyValue("result", "hit"))
				.hasAnObservation(
						(observation) -> observation.hasLowCardinalityKeyValue("operation", "getAllWithMetadata")
							.hasHighCardinalityKeyValue("keys", "1"))
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("operation", "deleteAll")
					.hasHighCardinalityKeyValue("keys", "2"))
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("operation", "clear"));
		});
	}

	@Test
	void withMetricsTheOperationsBecomeATimerAndValueSizesADistributionSummary() {
		this.runner
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				KvNamespace store = context.getBean("sessions", KvNamespace.class);
				store.put("k", "0123456789", KvPutOptions.builder().metadata(Map.of("a", 1)).build());
				store.get("k");
				store.get("k", KvType.BYTES);
				store.get("missing");
				Timer hits = meters.find("kv.operations")
					.tags("store", "sessions", "operation", "get", "outcome", "success", "result", "hit")
					.timer();
				assertThat(hits).isNotNull();
				assertThat(hits.count()).isEqualTo(2);
				assertThat(meters.find("kv.operations").tags("operation", "get", "result", "miss").timer().count())
					.isEqualTo(1);
				assertThat(meters.find("kv.operations").tags("operation", "put", "result", "none").timer().count())
					.isEqualTo(1);
				var sizes = meters.find("kv.value.size").tags("store", "sessions", "operation", "put").summary();
				assertThat(sizes.count()).isEqualTo(1);
				assertThat(sizes.totalAmount()).isEqualTo(10);
				assertThat(meters.find("kv.value.size").tags("operation", "get").summary().totalAmount()).isEqualTo(20);
			});
	}

	@Test
	void withoutAnObservationRegistryNothingIsObserved() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(ObservationRegistry.class);
			context.getBean("sessions", KvNamespace.class).put("k", "v");
			assertThat(context.getBean("sessions", KvNamespace.class).get("k")).isEqualTo("v");
		});
	}

	@Test
	void withoutMicrometerCoreThereIsNoValueSizeHandler() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(KvValueSizeObservationHandler.class);
		});
	}

	@Test
	void healthHasOneIndicatorPerStoreThatIsUpWhenRedisAnswers() {
		this.runner.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class))
			.run((context) -> {
				HealthContributor contributor = context.getBean("kvHealthContributor", HealthContributor.class);
				assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
				CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
				List<String> names = composite.stream().map((entry) -> entry.name()).toList();
				assertThat(names).containsExactlyInAnyOrder("sessions", "demo-cache");
				Health health = ((HealthIndicator) composite.getContributor("sessions")).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("store", "sessions")
					.containsEntry("keyPrefix", "kv:sessions:")
					.containsKey("latencyMillis");
			});
	}

	@Test
	void healthIsDownWhenRedisDoesNotAnswer() {
		this.runner.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=1", "spring.data.redis.timeout=1s")
			.run((context) -> {
				CompositeHealthContributor composite = context.getBean("kvHealthContributor",
						CompositeHealthContributor.class);
				Health health = ((HealthIndicator) composite.getContributor("sessions")).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails().get("error").toString()).contains("Cannot connect to Redis");
			});
	}

	@Test
	void theHealthContributorCanBeTurnedOffAndNeedsTheHealthModule() {
		this.runner.withPropertyValues("management.health.kv.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("kvHealthContributor"));
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("kvHealthContributor"));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, KvAutoConfiguration.class,
					KvHealthContributorAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("kvHealthContributor"));
	}

	@Test
	void theEndpointIsOffUnlessExposed() {
		this.runner.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(KvEndpoint.class));
	}

	@Test
	void theEndpointListsStoresAndKeysAndDeletesKeys() {
		this.runner.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=kv", "kv.stores.sessions.default-ttl=24h")
			.run((context) -> {
				KvEndpoint endpoint = context.getBean(KvEndpoint.class);
				KvEndpoint.StoresDescriptor stores = endpoint.stores();
				assertThat(stores.stores()).containsOnlyKeys("demo-cache", "sessions");
				assertThat(stores.stores().get("sessions"))
					.isEqualTo(new KvEndpoint.StoreDescriptor("kv:sessions:", 86400L, 60, 512, 26214400, 1024, 1000));
				KvNamespace store = context.getBean("sessions", KvNamespace.class);
				store.put("user/1", "secret value", KvPutOptions.builder().metadata("m").build());
				store.put("user/2", "secret value");
				store.put("other", "v");
				KvListResult page = endpoint.keys("sessions", "user/", 1, null);
				assertThat(page.keys()).hasSize(1);
				KvListResult rest = endpoint.keys("sessions", "user/", 1, page.cursor());
				assertThat(rest.keys()).extracting(KvKey::name).containsExactly("user/2");
				assertThat(endpoint.keys("nope", null, null, null)).isNull();
				assertThat(endpoint.delete("sessions", new String[] { "user", "1" }).getStatus()).isEqualTo(204);
				assertThat(store.get("user/1")).isNull();
				assertThat(endpoint.delete("nope", new String[] { "k" }).getStatus())
					.isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
				String json = context.getBean(tools.jackson.databind.json.JsonMapper.class)
					.writeValueAsString(endpoint.keys("sessions", null, null, null));
				assertThat(json).doesNotContain("secret value").contains("\"list_complete\":true");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class TestObservations {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

}
