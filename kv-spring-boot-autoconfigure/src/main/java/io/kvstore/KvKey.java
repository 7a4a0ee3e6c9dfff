package io.kvstore;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One key of a {@link KvListResult}.
 *
 * @param name the key
 * @param expiration when the key expires, in epoch seconds (rounded down); {@code null}
 * when it does not expire
 * @param metadata the metadata stored with the key, {@code null} when there is none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KvKey(String name, @Nullable Long expiration, @Nullable JsonNode metadata) {

	/**
	 * Creates a key of a listing.
	 * @param name the key
	 * @param expiration when the key expires, in epoch seconds; {@code null} when it does
	 * not
	 * @param metadata the metadata stored with the key, or {@code null}
	 * @throws IllegalArgumentException when {@code name} is {@code null}
	 */
	public KvKey {
		if (name == null) {
			throw new IllegalArgumentException("'name' must not be null");
		}
	}

}
