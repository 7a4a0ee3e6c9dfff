package io.kvstore;

import java.io.InputStream;
import java.lang.reflect.Type;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * How to read a stored value.
 * <ul>
 * <li>{@link #TEXT}: a {@code String}, decoded as UTF-8.</li>
 * <li>{@link #JSON}: a Jackson {@code JsonNode}; a stored JSON {@code null} reads as
 * {@code NullNode}.</li>
 * <li>{@link #BYTES}: a {@code byte[]} (Raindrop's arrayBuffer).</li>
 * <li>{@link #STREAM}: an {@code InputStream} that reads the value in chunks with bounded
 * memory; the caller closes it.</li>
 * <li>{@link #json(Class)} and {@link #json(TypeReference)}: JSON bound to a Java type
 * with the application's Jackson mapper; a stored JSON {@code null} reads as
 * {@code null}.</li>
 * </ul>
 * A JSON type that meets a value that is not valid JSON (an empty value included) throws
 * {@link KvSerializationException}.
 *
 * @param <T> the Java type of the value
 */
public final class KvType<T> {

	/** The value as UTF-8 text. */
	public static final KvType<String> TEXT = new KvType<>(Kind.TEXT, String.class, "TEXT");

	/** The value parsed as a JSON tree. */
	public static final KvType<JsonNode> JSON = new KvType<>(Kind.JSON, JsonNode.class, "JSON");

	/** The raw bytes of the value. */
	public static final KvType<byte[]> BYTES = new KvType<>(Kind.BYTES, byte[].class, "BYTES");

	/** The value as a stream, read in chunks; the caller closes it. */
	public static final KvType<InputStream> STREAM = new KvType<>(Kind.STREAM, InputStream.class, "STREAM");

	private final Kind kind;

	private final Type javaType;

	private final String description;

	private KvType(Kind kind, Type javaType, String description) {
		this.kind = kind;
		this.javaType = javaType;
		this.description = description;
	}

	/**
	 * JSON bound to a class.
	 * @param <T> the class
	 * @param type the class to bind to
	 * @return the type
	 */
	public static <T> KvType<T> json(Class<T> type) {
		if (type == null) {
			throw new IllegalArgumentException("'type' must not be null");
		}
		return new KvType<>(Kind.JSON, type, "json(" + type.getName() + ")");
	}

	/**
	 * JSON bound to a generic type, such as {@code new TypeReference<List<User>>() {}}.
	 * @param <T> the type
	 * @param type the type to bind to
	 * @return the type
	 */
	public static <T> KvType<T> json(TypeReference<T> type) {
		if (type == null) {
			throw new IllegalArgumentException("'type' must not be null");
		}
		return new KvType<>(Kind.JSON, type.getType(), "json(" + type.getType().getTypeName() + ")");
	}

	/**
	 * How the value is read.
	 * @return the kind
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * The Java type the value is read as; for {@link Kind#JSON} the type JSON is bound
	 * to.
	 * @return the Java type
	 */
	public Type javaType() {
		return this.javaType;
	}

	@Override
	public String toString() {
		return "KvType." + this.description;
	}

	/**
	 * The ways a value can be read.
	 */
	public enum Kind {

		/** UTF-8 text. */
		TEXT,

		/** JSON, as a tree or bound to {@link KvType#javaType()}. */
		JSON,

		/** Raw bytes. */
		BYTES,

		/** A stream of the raw bytes. */
		STREAM

	}

}
