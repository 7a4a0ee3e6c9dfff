package io.kvstore;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A value read together with its metadata.
 *
 * @param <T> the Java type of the value
 * @param value the value, {@code null} when the key is missing or expired
 * @param metadata the metadata stored with the value, {@code null} when there is none
 * @param cacheStatus {@code null} unless a local cache answered
 */
public record KvValue<T>(@Nullable T value, @Nullable JsonNode metadata, @Nullable String cacheStatus) {

	private static final KvValue<?> MISSING = new KvValue<>(null, null, null);

	/**
	 * The value of a missing key: every part {@code null}.
	 * @param <T> the Java type of the value
	 * @return {@code KvValue(null, null, null)}
	 */
	@SuppressWarnings("unchecked")
	public static <T> KvValue<T> missing() {
		return (KvValue<T>) MISSING;
	}

}
