package io.kvstore.cache;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

import org.springframework.cache.support.NullValue;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * How cached values become JSON and back: Spring Data Redis' Jackson serializer with the
 * application's mapper, each value's type written into it ({@code @class}), so that it
 * comes back as the type it was put as; and only types of allowed packages read back,
 * because a type named in stored data that Jackson would instantiate is a known attack
 * surface. The JDK's own value types ({@code java.lang}, {@code java.util},
 * {@code java.time}, {@code java.math}) are always allowed.
 */
public final class KvCacheValues {

	private static final List<String> JDK_PACKAGES = List.of("java.lang.", "java.util.", "java.time.", "java.math.");

	private final List<String> allowedPackages;

	private final GenericJacksonJsonRedisSerializer serializer;

	/**
	 * Values with the application's mapper, readable for the given packages.
	 * @param jsonMapper the application's mapper
	 * @param allowedPackages the packages whose types may be read back (with their
	 * subpackages), such as {@code com.example.shop}
	 */
	public KvCacheValues(JsonMapper jsonMapper, List<String> allowedPackages) {
		List<String> prefixes = new ArrayList<>(JDK_PACKAGES);
		for (String name : allowedPackages) {
			prefixes.add(name.endsWith(".") ? name : name + ".");
		}
		prefixes.add(NullValue.class.getName());
		this.allowedPackages = List.copyOf(prefixes);
		this.serializer = GenericJacksonJsonRedisSerializer.builder(jsonMapper::rebuild)
			.enableDefaultTyping(new Validator())
			.enableSpringCacheNullValueSupport()
			.build();
	}

	/**
	 * The packages whose types read back, for messages.
	 * @return the package prefixes
	 */
	public List<String> allowedPackages() {
		return this.allowedPackages;
	}

	/**
	 * Whether values of the type read back.
	 * @param type the type
	 * @return whether it is in an allowed package
	 */
	public boolean isAllowed(Class<?> type) {
		if (type.isArray()) {
			return isAllowed(type.getComponentType());
		}
		if (type.isPrimitive()) {
			return true;
		}
		String name = type.getName();
		return this.allowedPackages.stream().anyMatch(name::startsWith);
	}

	/**
	 * A value as JSON; {@code null} as Spring's {@link NullValue}.
	 * @param value the value
	 * @return the JSON
	 */
	public byte[] write(@Nullable Object value) {
		return this.serializer.serialize((value != null) ? typeable(value) : NullValue.INSTANCE);
	}

	// The JDK's immutable collections (List.of, Map.of, Set.of, ...) are final classes of
	// no public name, which the serializer writes without their type: at the top level,
	// cache a copy of a type that reads back (the same elements, in the same order).
	private static Object typeable(Object value) {
		if (!value.getClass().getName().startsWith("java.util.ImmutableCollections")
				&& !value.getClass().getName().startsWith("java.util.Collections$")) {
			return value;
		}
		if (value instanceof java.util.List<?> list) {
			return new ArrayList<>(list);
		}
		if (value instanceof java.util.Set<?> set) {
			return new java.util.LinkedHashSet<>(set);
		}
		if (value instanceof java.util.Map<?, ?> map) {
			return new java.util.LinkedHashMap<>(map);
		}
		return value;
	}

	/**
	 * A value from its JSON.
	 * @param json the JSON
	 * @return the value, {@link NullValue#INSTANCE} for a cached {@code null}
	 * @throws SerializationException when the JSON names a type that is not allowed, or
	 * does not read
	 */
	public Object read(byte[] json) {
		Object value = this.serializer.deserialize(json);
		return (value != null) ? value : NullValue.INSTANCE;
	}

	// Lets Jackson instantiate the types of allowed packages only.
	private final class Validator extends PolymorphicTypeValidator.Base {

		private static final long serialVersionUID = 1L;

		@Override
		public Validity validateSubClassName(DatabindContext context, JavaType baseType, String subClassName) {
			return KvCacheValues.this.allowedPackages.stream().anyMatch(subClassName::startsWith) ? Validity.ALLOWED
					: Validity.DENIED;
		}

		@Override
		public Validity validateSubType(DatabindContext context, JavaType baseType, JavaType subType) {
			return isAllowed(subType.getRawClass()) ? Validity.ALLOWED : Validity.DENIED;
		}

	}

}
