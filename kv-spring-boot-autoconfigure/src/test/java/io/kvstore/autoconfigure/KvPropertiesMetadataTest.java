package io.kvstore.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.kvstore.core.KvStoreSettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property defaults agree with the contract's limits, and the generated metadata gives
 * IDEs every property with its default, and help for the keys and values of
 * {@code kv.stores}.
 */
class KvPropertiesMetadataTest {

	@Test
	void propertyDefaultsAreTheContractsLimits() {
		KvProperties properties = new KvProperties();
		assertThat(properties.getMaxKeySize().toBytes()).isEqualTo(KvStoreSettings.DEFAULT_MAX_KEY_SIZE);
		assertThat(properties.getMaxValueSize().toBytes()).isEqualTo(KvStoreSettings.DEFAULT_MAX_VALUE_SIZE);
		assertThat(properties.getMaxMetadataSize().toBytes()).isEqualTo(KvStoreSettings.DEFAULT_MAX_METADATA_SIZE);
		assertThat(properties.getMinTtl()).isEqualTo(KvStoreSettings.DEFAULT_MIN_TTL);
		assertThat(properties.getMaxListLimit()).isEqualTo(KvStoreSettings.DEFAULT_MAX_LIST_LIMIT);
		assertThat(properties.getDefaultTtl()).isNull();
		assertThat(properties.getKeyPrefix() + "x:").isEqualTo(KvStoreSettings.defaultKeyPrefix("x"));
	}

	@Test
	void metadataDescribesEveryPropertyWithItsDefault() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
		List<String> names = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			names.add(property.get("name").stringValue());
			assertThat(property.get("description").stringValue()).as(property.toString()).isNotBlank();
		}
		assertThat(names).contains("kv.stores", "kv.key-prefix", "kv.default-ttl", "kv.max-key-size", "kv.max-value-size",
				"kv.max-metadata-size", "kv.min-ttl", "kv.max-list-limit", "kv.near-cache.enabled",
				"kv.near-cache.max-entries", "kv.near-cache.ttl", "kv.near-cache.max-value-size");
		assertThat(metadata.toString()).contains("\"defaultValue\":\"64KB\"", "\"defaultValue\":10000");
		assertThat(metadata.toString()).contains("\"defaultValue\":\"60s\"", "\"defaultValue\":\"25MB\"",
				"\"defaultValue\":\"1KB\"", "\"defaultValue\":\"512B\"", "\"defaultValue\":1000");
		List<String> hints = new ArrayList<>();
		metadata.get("hints").forEach((hint) -> hints.add(hint.get("name").stringValue()));
		assertThat(hints).containsExactlyInAnyOrder("kv.stores.keys", "kv.stores.values");
	}

}
