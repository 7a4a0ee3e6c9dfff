package io.kvstore;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stores declared under {@code kv.stores}, by name.
 */
public interface KvStores {

	/**
	 * Returns the store with the given name.
	 * @param name the store name
	 * @return the store
	 * @throws IllegalArgumentException when no store has that name; the message lists the
	 * known stores
	 */
	KvNamespace get(String name);

	/**
	 * The names of all declared stores.
	 * @return the store names, sorted
	 */
	Set<String> names();

	/**
	 * The given stores, by their {@link KvNamespace#name() names}.
	 * @param stores the stores
	 * @return a registry of the stores
	 * @throws IllegalArgumentException when two stores have the same name
	 */
	static KvStores of(Collection<? extends KvNamespace> stores) {
		TreeMap<String, KvNamespace> byName = new TreeMap<>();
		for (KvNamespace store : stores) {
			if (byName.put(store.name(), store) != null) {
				throw new IllegalArgumentException("Two stores are named '" + store.name() + "'");
			}
		}
		return of(byName);
	}

	/**
	 * The given stores, by the given names.
	 * @param stores the stores by name
	 * @return a registry of the stores
	 */
	static KvStores of(Map<String, ? extends KvNamespace> stores) {
		TreeMap<String, KvNamespace> byName = new TreeMap<>(stores);
		Set<String> names = Collections.unmodifiableSet(byName.navigableKeySet());
		return new KvStores() {

			@Override
			public KvNamespace get(String name) {
				KvNamespace store = (name != null) ? byName.get(name) : null;
				if (store == null) {
					throw new IllegalArgumentException(
							"No KV store is named " + ((name != null) ? "'" + name + "'" : "null")
									+ "; the declared stores are " + names + " (declare stores under kv.stores)");
				}
				return store;
			}

			@Override
			public Set<String> names() {
				return names;
			}

			@Override
			public String toString() {
				return "KvStores" + names;
			}

		};
	}

}
