package io.kvstore.core;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kvstore.KvSerializationException;
import io.kvstore.KvType;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a store turns values and metadata into bytes and back, with the application's
 * Jackson mapper: JSON written compact (whatever the mapper's indentation), read strictly
 * (trailing tokens are an error), one reader per Java type kept for reuse.
 */
public final class KvJson {

	private final JsonMapper mapper;

	private final ObjectWriter writer;

	private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();

	/**
	 * A codec with the given mapper.
	 * @param mapper the application's mapper
	 */
	public KvJson(JsonMapper mapper) {
		this.mapper = KvChecks.notNull("jsonMapper", mapper);
		this.writer = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
	}

	/**
	 * Serialises a value or metadata to compact JSON.
	 * @param argument the argument's name for the message, {@code value} or
	 * {@code metadata}
	 * @param value the value
	 * @return the UTF-8 JSON
	 * @throws IllegalArgumentException when Jackson cannot serialise it
	 */
	public byte[] write(String argument, Object value) {
		try {
			return this.writer.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("'" + argument + "' cannot be serialised as JSON ("
					+ value.getClass().getName() + "): " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Serialises a value or metadata to compact JSON that reads back: the JSON is read
	 * once the way a read will (string values, property names and numbers materialised,
	 * so that Jackson's read limits apply: at most 1000 digits in a number, 50,000
	 * characters in a property name, 500 levels of nesting, ...), and what would not read
	 * back is refused before anything is written.
	 * @param argument the argument's name for the message, {@code value} or
	 * {@code metadata}
	 * @param value the value
	 * @return the UTF-8 JSON
	 * @throws IllegalArgumentException when Jackson cannot serialise it, or could not
	 * read it back
	 */
	public byte[] writeReadable(String argument, Object value) {
		byte[] json = write(argument, value);
		try (JsonParser parser = this.mapper.createParser(json)) {
			for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
				switch (token) {
					case PROPERTY_NAME -> parser.currentName();
					case VALUE_STRING -> parser.getString();
					case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
					default -> {
					}
				}
			}
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("'" + argument + "' would not read back as JSON once stored ("
					+ value.getClass().getName() + "): " + ex.getOriginalMessage(), ex);
		}
		return json;
	}

	/**
	 * Reads a stored value as the given type.
	 * @param <T> the Java type of the value
	 * @param key the key, for the exception
	 * @param description the key and store, for messages ({@code key 'k' in store 's'})
	 * @param value the stored bytes
	 * @param type the type asked for
	 * @return the value
	 * @throws KvSerializationException when a JSON type meets a value that is not JSON
	 */
	@SuppressWarnings("unchecked")
	public <T> @Nullable T decode(String key, String description, byte[] value, KvType<T> type) {
		return switch (type.kind()) {
			case TEXT -> (T) new String(value, StandardCharsets.UTF_8);
			case BYTES -> (T) value;
			case STREAM -> (T) new ByteArrayInputStream(value);
			case JSON -> readJson(key, description, value, type);
		};
	}

	private <T> @Nullable T readJson(String key, String description, byte[] value, KvType<T> type) {
		if (value.length == 0) {
			throw new KvSerializationException(key,
					"The value of " + description + " is empty, which is not valid JSON (read as " + type + ")", null);
		}
		ObjectReader reader = this.readers.computeIfAbsent(type.javaType(),
				(javaType) -> this.mapper.readerFor(this.mapper.constructType(javaType))
					.with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
		try {
			return reader.readValue(value);
		}
		catch (JacksonException ex) {
			throw new KvSerializationException(key,
					"The value of " + description + " cannot be read as " + type + ": " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Reads stored metadata.
	 * @param key the key, for the exception
	 * @param description the key and store, for messages ({@code key 'k' in store 's'})
	 * @param json the stored JSON, or {@code null} for none
	 * @return the metadata, or {@code null} for none
	 * @throws KvSerializationException when the stored metadata is not JSON that reads
	 * (it was written by something else than a store)
	 */
	public @Nullable JsonNode metadata(String key, String description, byte @Nullable [] json) {
		if (json == null) {
			return null;
		}
		try {
			return this.mapper.readTree(json);
		}
		catch (JacksonException ex) {
			throw new KvSerializationException(key,
					"The metadata of " + description + " is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

}
