package io.kvstore.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.kvstore.KvKey;
import io.kvstore.KvListOptions;
import io.kvstore.KvListResult;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.test.RedisCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stores on a Redis Cluster configured only through
 * {@code spring.data.redis.cluster.nodes}.
 */
class KvClusterAutoConfigurationTest {

	@Test
	void storesWorkOnAClusterConfiguredThroughSpringBoot() {
		RedisCluster cluster = RedisCluster.shared();
		cluster.flushAll();
		String nodes = cluster.nodes()
			.stream()
			.map((node) -> node.host() + ":" + node.port())
			.collect(Collectors.joining(","));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					KvAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.cluster.nodes=" + nodes, "kv.stores.sessions=")
			.run((context) -> {
				KvNamespace store = context.getBean(KvNamespace.class);
				IntStream.range(0, 300)
					.forEach((i) -> store.put("user:" + i, "v" + i, KvPutOptions.builder().metadata(i).build()));
				store.put("large", new byte[3 * 1024 * 1024]);
				assertThat(store.get("user:7")).isEqualTo("v7");
				assertThat(store.get("large", KvType.BYTES)).hasSize(3 * 1024 * 1024);
				KvListResult first = store.list(KvListOptions.builder().prefix("user:").limit(250).build());
				assertThat(first.keys()).hasSize(250);
				KvListResult second = store
					.list(KvListOptions.builder().prefix("user:").limit(250).cursor(first.cursor()).build());
				assertThat(second.keys()).hasSize(50);
				assertThat(second.listComplete()).isTrue();
				List<String> names = new java.util.ArrayList<>();
				first.keys().stream().map(KvKey::name).forEach(names::add);
				second.keys().stream().map(KvKey::name).forEach(names::add);
				assertThat(names).doesNotHaveDuplicates().hasSize(300);
				// The keys are spread over every master.
				for (var node : cluster.nodes()) {
					assertThat(node.raw().dbsize()).isPositive();
				}
			});
	}

}
