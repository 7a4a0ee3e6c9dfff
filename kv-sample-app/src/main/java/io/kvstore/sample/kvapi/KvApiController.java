package io.kvstore.sample.kvapi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.kvstore.KvListOptions;
import io.kvstore.KvListResult;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvStores;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.kvstore.sample.web.NotFoundException;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A REST API over every declared store, mirroring the KV contract.
 * <ul>
 * <li>{@code GET /kv}: the store names.</li>
 * <li>{@code PUT /kv/{store}/values/{key}}: the body is the value; {@code type=json}
 * checks that it is JSON and stores it with {@code putJson}, {@code text} (default) and
 * {@code bytes} stream it in as it is; {@code expiration} (epoch seconds),
 * {@code expiration_ttl} (seconds) and {@code metadata} (JSON, in the
 * {@value #METADATA_HEADER} header or the {@code metadata} parameter, the header winning)
 * become the {@link KvPutOptions}. 204.</li>
 * <li>{@code GET /kv/{store}/values/{key}?type=text|json|bytes}: the value as
 * {@code text/plain}, {@code application/json} or {@code application/octet-stream}, its
 * metadata in the {@value #METADATA_HEADER} header (compact JSON, non-ASCII
 * escaped).</li>
 * <li>{@code DELETE /kv/{store}/values/{key}}: 204, also for a missing key.</li>
 * <li>{@code GET /kv/{store}/keys?prefix=&limit=&cursor=}: one page of
 * {@code {"keys":[...],"list_complete":...,"cursor":...}}.</li>
 * </ul>
 * The key is the rest of the path, so it may hold {@code /}; other reserved characters
 * and non-ASCII ones are percent-encoded as UTF-8. An unknown store or a missing key
 * answers 404.
 */
@RestController
@RequestMapping("/kv")
public class KvApiController {

	/** The header that carries metadata, in both directions. */
	public static final String METADATA_HEADER = "X-KV-Metadata";

	private final KvStores stores;

	private final ObjectReader jsonReader;

	private final ObjectWriter headerWriter;

	public KvApiController(KvStores stores, JsonMapper jsonMapper) {
		this.stores = stores;
		this.jsonReader = jsonMapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.headerWriter = jsonMapper.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);
	}

	@GetMapping
	Map<String, Set<String>> stores() {
		return Map.of("stores", this.stores.names());
	}

	@PutMapping("/{store}/values/{*key}")
	ResponseEntity<Void> put(@PathVariable String store, @PathVariable String key,
			@RequestParam(defaultValue = "text") String type, @RequestParam(required = false) @Nullable Long expiration,
			@RequestParam(name = "expiration_ttl", required = false) @Nullable Long expirationTtl,
			@RequestParam(name = "metadata", required = false) @Nullable String metadataParameter,
			@RequestHeader(name = METADATA_HEADER, required = false) @Nullable String metadataHeader,
			HttpServletRequest request) throws IOException {
		KvNamespace namespace = store(store);
		ValueType valueType = ValueType.of(type);
		KvPutOptions.Builder options = KvPutOptions.builder();
		if (expiration != null) {
			options.expiration(expiration);
		}
		if (expirationTtl != null) {
			options.expirationTtl(expirationTtl);
		}
		String metadata = (metadataHeader != null) ? metadataHeader : metadataParameter;
		if (metadata != null) {
			options.metadata(parseJson(metadata, "metadata"));
		}
		try (InputStream body = request.getInputStream()) {
			if (valueType == ValueType.JSON) {
				namespace.putJson(key(key), readJson(body), options.build());
			}
			else {
				namespace.put(key(key), body, options.build());
			}
		}
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/{store}/values/{*key}")
	ResponseEntity<?> get(@PathVariable String store, @PathVariable String key,
			@RequestParam(defaultValue = "text") String type) {
		KvNamespace namespace = store(store);
		ValueType valueType = ValueType.of(type);
		KvValue<?> value = namespace.getWithMetadata(key(key), valueType.kvType);
		if (value.value() == null) {
			throw new NotFoundException("No key '" + key(key) + "' in store '" + store + "'");
		}
		ResponseEntity.BodyBuilder response = ResponseEntity.ok().contentType(valueType.mediaType);
		if (value.metadata() != null) {
			response.header(METADATA_HEADER, this.headerWriter.writeValueAsString(value.metadata()));
		}
		return response.body(value.value());
	}

	/**
	 * Reads up to 100 keys at once: the body is a JSON array of keys; the answer maps
	 * every distinct key, in request order, to its value and metadata, or to {@code null}
	 * when it is missing. {@code type} is {@code text} (default) or {@code json}.
	 */
	@PostMapping("/{store}/values/_batch-get")
	Map<String, @Nullable BatchValue> batchGet(@PathVariable String store, InputStream body,
			@RequestParam(defaultValue = "text") String type) {
		KvNamespace namespace = store(store);
		ValueType valueType = ValueType.of(type);
		if (valueType == ValueType.BYTES) {
			throw new IllegalArgumentException("'type' must be text or json for a batch read, was 'bytes'");
		}
		JsonNode keys = readJson(body);
		if (!keys.isArray()) {
			throw new IllegalArgumentException("'keys' must be a JSON array of keys, was " + keys.getNodeType());
		}
		List<String> names = new ArrayList<>();
		for (JsonNode key : keys) {
			if (!key.isString()) {
				throw new IllegalArgumentException("'keys' must hold strings only, was " + key);
			}
			names.add(key.stringValue());
		}
		Map<String, @Nullable BatchValue> answer = new LinkedHashMap<>();
		namespace.getWithMetadata(names, valueType.kvType)
			.forEach((key, value) -> answer.put(key,
					(value.value() != null) ? new BatchValue(value.value(), value.metadata()) : null));
		return answer;
	}

	/** Deletes every entry of a store; answers how many. */
	@DeleteMapping("/{store}/values")
	Map<String, Long> clear(@PathVariable String store) {
		return Map.of("deleted", store(store).clear());
	}

	@DeleteMapping("/{store}/values/{*key}")
	ResponseEntity<Void> delete(@PathVariable String store, @PathVariable String key) {
		store(store).delete(key(key));
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/{store}/keys")
	KvListResult keys(@PathVariable String store, @RequestParam(required = false) @Nullable String prefix,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return store(store).list(new KvListOptions(prefix, limit, StringUtils.hasLength(cursor) ? cursor : null));
	}

	private KvNamespace store(String name) {
		if (!this.stores.names().contains(name)) {
			throw new NotFoundException(
					"No store named '" + name + "'; the declared stores are " + this.stores.names());
		}
		return this.stores.get(name);
	}

	// "{*key}" captures the rest of the path with its leading slash.
	private static String key(String path) {
		return path.startsWith("/") ? path.substring(1) : path;
	}

	private JsonNode readJson(InputStream body) {
		try {
			JsonNode node = this.jsonReader.readTree(body);
			if (node == null || node.isMissingNode()) {
				throw new IllegalArgumentException("'value' must be JSON when type=json, was empty");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("'value' must be JSON when type=json: " + ex.getOriginalMessage());
		}
	}

	private JsonNode parseJson(String json, String name) {
		try {
			JsonNode node = this.jsonReader.readTree(json);
			if (node == null || node.isMissingNode()) {
				throw new IllegalArgumentException("'" + name + "' must be JSON, was empty");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("'" + name + "' must be JSON: " + ex.getOriginalMessage());
		}
	}

	/**
	 * One value of a batch read.
	 *
	 * @param value the value, text or JSON
	 * @param metadata its metadata, or {@code null} (left out of the JSON)
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record BatchValue(Object value, @Nullable JsonNode metadata) {
	}

	/**
	 * The {@code type} parameter: how a value is read back.
	 */
	enum ValueType {

		TEXT(KvType.TEXT, new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8)),

		JSON(KvType.JSON, MediaType.APPLICATION_JSON),

		BYTES(KvType.BYTES, MediaType.APPLICATION_OCTET_STREAM);

		final KvType<?> kvType;

		final MediaType mediaType;

		ValueType(KvType<?> kvType, MediaType mediaType) {
			this.kvType = kvType;
			this.mediaType = mediaType;
		}

		static ValueType of(String type) {
			for (ValueType candidate : values()) {
				if (candidate.name().toLowerCase(Locale.ROOT).equals(type)) {
					return candidate;
				}
			}
			throw new IllegalArgumentException("'type' must be text, json or bytes, was '" + type + "'");
		}

	}

}
