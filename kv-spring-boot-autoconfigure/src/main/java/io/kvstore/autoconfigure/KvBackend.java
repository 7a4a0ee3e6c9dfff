package io.kvstore.autoconfigure;

/**
 * Where a store keeps its entries.
 */
public enum KvBackend {

	/** In the application's Redis, through its {@code RedisConnectionFactory}. */
	REDIS,

	/** In the application's heap: for tests and local runs, no Redis needed. */
	MEMORY

}
