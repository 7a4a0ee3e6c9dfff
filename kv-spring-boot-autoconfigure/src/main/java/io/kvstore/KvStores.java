package io.kvstore;

import java.util.Set;

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

}
