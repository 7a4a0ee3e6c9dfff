package io.kvstore.memory;

import java.time.Clock;

import io.kvstore.KvNamespace;
import io.kvstore.core.AbstractKvNamespace;
import io.kvstore.core.KvChecks;
import io.kvstore.core.KvStoreSettings;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link KvNamespace} kept in the application's heap: the contract's checks and
 * observation ({@link AbstractKvNamespace}) over {@link MemoryStorage}. Entries expire by
 * the given {@link Clock}, so a test that moves its clock expires them. Thread-safe;
 * nothing of it outlives the application.
 */
public final class MemoryKvNamespace extends AbstractKvNamespace {

	/**
	 * Creates a store on the system clock.
	 * @param name the store name: lowercase letters, digits and {@code -}, starting with
	 * a letter, at most 63 characters
	 * @param settings the store's settings (its key prefix is not used)
	 * @param jsonMapper the mapper for JSON values and metadata
	 */
	public MemoryKvNamespace(String name, KvStoreSettings settings, JsonMapper jsonMapper) {
		this(name, settings, jsonMapper, Clock.systemUTC(), ObservationRegistry.NOOP);
	}

	/**
	 * Creates a store whose entries expire by the given clock.
	 * @param name the store name
	 * @param settings the store's settings (its key prefix is not used)
	 * @param jsonMapper the mapper for JSON values and metadata
	 * @param clock the clock of expirations, absolute and relative
	 * @param observationRegistry where observations go; {@link ObservationRegistry#NOOP}
	 * for none
	 */
	public MemoryKvNamespace(String name, KvStoreSettings settings, JsonMapper jsonMapper, Clock clock,
			ObservationRegistry observationRegistry) {
		super(name, settings, jsonMapper, clock, observationRegistry, storage(name, settings, clock));
	}

	private static MemoryStorage storage(String name, KvStoreSettings settings, Clock clock) {
		KvChecks.checkStoreName(name);
		return new MemoryStorage(name, KvChecks.notNull("settings", settings).maxKeySize(),
				KvChecks.notNull("clock", clock));
	}

}
