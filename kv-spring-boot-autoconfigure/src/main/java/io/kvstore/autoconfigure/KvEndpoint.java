package io.kvstore.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kvstore.KvListOptions;
import io.kvstore.KvListResult;
import io.kvstore.KvNamespace;
import io.kvstore.KvStores;
import io.kvstore.core.KvStoreSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code kv} actuator endpoint: {@code GET /actuator/kv} lists the stores and their
 * settings, {@code GET /actuator/kv/{store}?prefix=&limit=&cursor=} lists one page of a
 * store's keys (names, expiration and metadata, never values), and {@code DELETE
 * /actuator/kv/{store}/{key}} deletes one key. Like Spring Boot's own endpoints it is off
 * the web unless exposed ({@code management.endpoints.web.exposure.include=kv}).
 */
@Endpoint(id = "kv")
public class KvEndpoint {

	private final KvStores stores;

	private final Map<String, KvStoreSettings> settings;

	/**
	 * Creates the endpoint.
	 * @param stores the stores
	 * @param settings the settings of each store, by name
	 */
	public KvEndpoint(KvStores stores, Map<String, KvStoreSettings> settings) {
		this.stores = stores;
		this.settings = settings;
	}

	/**
	 * The stores and their settings.
	 * @return the stores by name
	 */
	@ReadOperation
	public StoresDescriptor stores() {
		Map<String, StoreDescriptor> stores = new LinkedHashMap<>();
		for (String name : this.stores.names()) {
			KvStoreSettings settings = this.settings.get(name);
			stores.put(name, (settings != null) ? StoreDescriptor.of(settings) : null);
		}
		return new StoresDescriptor(stores);
	}

	/**
	 * One page of a store's keys.
	 * @param store the store name
	 * @param prefix list only keys starting with it
	 * @param limit the page size
	 * @param cursor the cursor of the previous page
	 * @return the page, or {@code null} (404) when there is no such store
	 */
	@ReadOperation
	public @Nullable KvListResult keys(@Selector String store, @Nullable String prefix, @Nullable Integer limit,
			@Nullable String cursor) {
		KvNamespace namespace = find(store);
		if (namespace == null) {
			return null;
		}
		try {
			return namespace.list(new KvListOptions(prefix, limit, cursor));
		}
		catch (IllegalArgumentException ex) {
			String reason = String.valueOf(ex.getMessage());
			throw new InvalidEndpointRequestException(reason, reason);
		}
	}

	/**
	 * Deletes one key of a store.
	 * @param store the store name
	 * @param key the key, as the remaining path segments
	 * @return 204, or 404 when there is no such store
	 */
	@DeleteOperation
	public WebEndpointResponse<Void> delete(@Selector String store,
			@Selector(match = Selector.Match.ALL_REMAINING) String[] key) {
		KvNamespace namespace = find(store);
		if (namespace == null) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		try {
			namespace.delete(String.join("/", key));
		}
		catch (IllegalArgumentException ex) {
			String reason = String.valueOf(ex.getMessage());
			throw new InvalidEndpointRequestException(reason, reason);
		}
		return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
	}

	private @Nullable KvNamespace find(String store) {
		return this.stores.names().contains(store) ? this.stores.get(store) : null;
	}

	/**
	 * The stores, by name.
	 *
	 * @param stores each store's settings
	 */
	public record StoresDescriptor(Map<String, StoreDescriptor> stores) {
	}

	/**
	 * The settings of one store.
	 *
	 * @param keyPrefix the prefix of its Redis keys
	 * @param defaultTtlSeconds the TTL of entries put without expiration, or {@code null}
	 * @param minTtlSeconds the shortest expiration
	 * @param maxKeySize the largest key in bytes
	 * @param maxValueSize the largest value in bytes
	 * @param maxMetadataSize the largest metadata in bytes
	 * @param maxListLimit the largest list page
	 */
	public record StoreDescriptor(String keyPrefix, @Nullable Long defaultTtlSeconds, long minTtlSeconds,
			int maxKeySize, int maxValueSize, int maxMetadataSize, int maxListLimit) {

		static StoreDescriptor of(KvStoreSettings settings) {
			return new StoreDescriptor(settings.keyPrefix(),
					(settings.defaultTtl() != null) ? settings.defaultTtl().getSeconds() : null,
					settings.minTtl().getSeconds(), settings.maxKeySize(), settings.maxValueSize(),
					settings.maxMetadataSize(), settings.maxListLimit());
		}

	}

}
