package io.kvstore.autoconfigure;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

/**
 * Binds a store declared without settings: {@code kv.stores.name=} in properties (an
 * empty string) or an empty JSON object in {@code SPRING_APPLICATION_JSON}, to a store
 * with every default.
 */
public final class StoreDeclarationConverter implements GenericConverter {

	@Override
	public Set<ConvertiblePair> getConvertibleTypes() {
		return Set.of(new ConvertiblePair(String.class, KvStoreProperties.class),
				new ConvertiblePair(Map.class, KvStoreProperties.class));
	}

	@Override
	public @Nullable Object convert(@Nullable Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
		boolean empty = (source == null) || (source instanceof String text && text.isBlank())
				|| (source instanceof Map<?, ?> map && map.isEmpty());
		if (!empty) {
			throw new IllegalArgumentException("A store declaration must be empty (kv.stores.<name>= in properties, "
					+ "<name>: {} in YAML) or hold the store's settings, was '" + source + "'");
		}
		return new KvStoreProperties();
	}

}
