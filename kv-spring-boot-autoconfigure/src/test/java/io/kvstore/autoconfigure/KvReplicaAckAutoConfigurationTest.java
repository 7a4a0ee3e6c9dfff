package io.kvstore.autoconfigure;

import java.util.stream.Collectors;

import io.kvstore.KvNamespace;
import io.kvstore.redis.KvReplicaAckException;
import io.kvstore.test.RedisCluster;
import io.kvstore.test.RedisExtension;
import io.kvstore.test.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code kv.redis.replicas-to-wait} and {@code kv.redis.wait-timeout}, for every store
 * and per store: how they are checked at start-up, and what a write does on a Redis
 * without enough replicas. What they guard across a failover is in
 * {@link KvSentinelAutoConfigurationTest}.
 */
@ExtendWith(RedisExtension.class)
class KvReplicaAckAutoConfigurationTest {

	private final ApplicationContextRunner runner;

	private final RedisServer redis;

	KvReplicaAckAutoConfigurationTest(RedisServer redis) {
		this.redis = redis;
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					KvAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port());
	}

	@Test
	void aNegativeNumberOfReplicasFailsStartUpNamingThePropertyItsLimitAndTheValue() {
		this.runner.withPropertyValues("kv.stores.sessions.redis.replicas-to-wait=-1").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("kv.stores.sessions.redis.replicas-to-wait")
				.contains("between 0 and 100 replicas")
				.contains("was -1");
			assertThat(analysis.getAction()).contains("Set it to 0");
		});
	}

	@Test
	void aGlobalWaitTimeoutOfZeroFailsStartUpNamingTheGlobalProperty() {
		this.runner.withPropertyValues("kv.redis.replicas-to-wait=1", "kv.redis.wait-timeout=0", "kv.stores.sessions=")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("kv.redis.wait-timeout")
					.contains("between 1 ms and 10 minutes")
					.contains("was PT0S");
			});
	}

	@Test
	void aMisspeltSettingUnderAStoresRedisFailsStartUpListingTheSettings() {
		this.runner.withPropertyValues("kv.stores.sessions.redis.replicas=1").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("kv.stores.sessions.redis.replicas")
				.contains("[replicas-to-wait, wait-timeout]");
		});
	}

	@Test
	void aStoreInMemoryIgnoresTheSettingSoTestsRunUnchanged() {
		this.runner
			.withPropertyValues("kv.redis.replicas-to-wait=1", "kv.stores.sessions.backend=memory",
					"kv.stores.sessions.redis.replicas-to-wait=2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				KvNamespace store = context.getBean(KvNamespace.class);
				store.put("a", "1");
				store.delete("a");
				assertThat(store.get("a")).isNull();
			});
	}

	@Test
	void withoutEnoughReplicasAPutFailsSayingHowManyAcknowledgedAndThatTheMasterHasTheWrite() {
		this.redis.flushAll();
		this.runner
			.withPropertyValues("kv.stores.durable.redis.replicas-to-wait=1",
					"kv.stores.durable.redis.wait-timeout=50ms", "kv.stores.fast=")
			.run((context) -> {
				KvNamespace durable = context.getBean("durable", KvNamespace.class);
				KvNamespace fast = context.getBean("fast", KvNamespace.class);
				long waits = this.redis.commandCalls("wait");
				for (Object value : new Object[] { "small", new byte[100 * 1024], new byte[3 * 1024 * 1024] }) {
					KvReplicaAckException failure = catchReplicaAck(() -> {
						if (value instanceof String text) {
							durable.put("a", text);
						}
						else {
							durable.put("a", (byte[]) value);
						}
					});
					assertThat(failure).isInstanceOf(DataAccessException.class);
					assertThat(failure.getMessage()).startsWith("The put of key 'a' under prefix 'kv:durable:'")
						.contains("acknowledged by 0 of the 1 replica it waits for within 50 ms")
						.contains("The master has done the write");
					assertThat(failure.required()).isEqualTo(1);
					assertThat(failure.acknowledged()).isZero();
					// The write happened, as the message says.
					assertThat(this.redis.rawBinary().exists("kv:durable:a".getBytes())).isEqualTo(1);
				}
				KvReplicaAckException deleted = catchReplicaAck(() -> durable.delete("a"));
				assertThat(deleted.getMessage()).startsWith("The delete of key 'a' under prefix 'kv:durable:'");
				assertThat(durable.get("a")).isNull();
				// One WAIT per write of the store that waits, none for the other store.
				assertThat(this.redis.commandCalls("wait") - waits).isEqualTo(4);
				fast.put("b", "2");
				fast.delete("b");
				assertThat(this.redis.commandCalls("wait") - waits).isEqualTo(4);
			});
	}

	@Test
	void aStoreThatWaitsForReplicasOnARedisClusterFailsStartUp() {
		RedisCluster cluster = RedisCluster.shared();
		String nodes = cluster.nodes()
			.stream()
			.map((node) -> node.host() + ":" + node.port())
			.collect(Collectors.joining(","));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					KvAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.cluster.nodes=" + nodes, "kv.stores.sessions=",
					"kv.redis.replicas-to-wait=1")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new KvFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).as("%s", context.getStartupFailure()).isNotNull();
				assertThat(analysis.getDescription()).contains("kv.redis.replicas-to-wait")
					.contains("not supported on Redis Cluster");
			});
	}

	private static KvReplicaAckException catchReplicaAck(Runnable write) {
		return assertThatExceptionOfType(KvReplicaAckException.class).isThrownBy(write::run).actual();
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new KvFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("a KvConfigurationException in %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

}
