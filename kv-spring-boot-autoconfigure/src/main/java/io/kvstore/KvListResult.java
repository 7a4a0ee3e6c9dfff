package io.kvstore;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing. Serialised to JSON with Raindrop's field names: {@code keys},
 * {@code list_complete} and {@code cursor} (omitted on the last page).
 *
 * @param keys the keys of the page, sorted by their UTF-8 bytes
 * @param listComplete {@code true} on the last page
 * @param cursor pass it to the next {@code list} call to read the next page; {@code null}
 * on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KvListResult(List<KvKey> keys, @JsonProperty("list_complete") boolean listComplete,
		@Nullable String cursor) {

	/**
	 * Creates a page; the list of keys is copied.
	 * @param keys the keys of the page
	 * @param listComplete {@code true} on the last page
	 * @param cursor the cursor of the next page, {@code null} on the last page
	 * @throws IllegalArgumentException when {@code keys} is {@code null}
	 */
	public KvListResult {
		if (keys == null) {
			throw new IllegalArgumentException("'keys' must not be null");
		}
		keys = List.copyOf(keys);
	}

}
