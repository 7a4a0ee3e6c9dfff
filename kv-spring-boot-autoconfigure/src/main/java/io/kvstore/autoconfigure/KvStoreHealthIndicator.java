package io.kvstore.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.kvstore.KvNamespace;
import io.kvstore.core.AbstractKvNamespace;
import io.kvstore.redis.KvNearCacheStatistics;
import io.kvstore.redis.RedisKvNamespace;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of one store: up when a round trip to where it keeps its entries succeeds
 * (Redis; a store in memory is always up), down with the error when it fails. A store
 * with a near cache shows whether its invalidation channel is connected and how many
 * entries it holds (the store stays up while the channel is not: reads then go to Redis).
 * A store of the application's own (not made by this library) reports unknown.
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
			if (kv instanceof RedisKvNamespace redis) {
				builder.withDetail("keyPrefix", kv.settings().keyPrefix());
				KvNearCacheStatistics nearCache = redis.nearCacheStatistics();
				if (nearCache != null) {
					builder.withDetail("nearCache",
							Map.of("connected", nearCache.isConnected(), "entries", nearCache.size()));
				}
			}
			builder.withDetail("latencyMillis", latency.toNanos() / 1_000_000.0);
		}
		else {
			builder.unknown();
		}
	}

}
