package io.kvstore.autoconfigure;

import java.time.Duration;

import io.kvstore.KvNamespace;
import io.kvstore.core.AbstractKvNamespace;
import io.kvstore.redis.RedisKvNamespace;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of one store: up when a round trip to where it keeps its entries succeeds
 * (Redis; a store in memory is always up), down with the error when it fails. A store of
 * the application's own (not made by this library) reports unknown.
 */
class KvStoreHealthIndicator extends AbstractHealthIndicator {

	private final KvNamespace store;

	KvStoreHealthIndicator(KvNamespace store) {
		super((ex) -> "KV store '" + store.name() + "' health check failed: " + ex.getMessage());
		this.store = store;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("store", this.store.name());
		if (this.store instanceof AbstractKvNamespace kv) {
			Duration latency = kv.ping();
			builder.up().withDetail("backend", kv.describeStorage());
			if (kv instanceof RedisKvNamespace) {
				builder.withDetail("keyPrefix", kv.settings().keyPrefix());
			}
			builder.withDetail("latencyMillis", latency.toNanos() / 1_000_000.0);
		}
		else {
			builder.unknown();
		}
	}

}
