package io.kvstore;

import org.jspecify.annotations.Nullable;

/**
 * What to list: keys starting with {@code prefix}, at most {@code limit} of them,
 * continuing after the page that returned {@code cursor}.
 *
 * @param prefix a literal prefix ({@code *}, {@code ?}, {@code [}, {@code \} and
 * <code>&#123;</code> match only themselves); {@code null} or empty lists every key
 * @param limit the page size, 1 to 1000; {@code null} means 1000
 * @param cursor the cursor of the previous page, {@code null} for the first page; it only
 * works with the store and prefix that produced it
 */
public record KvListOptions(@Nullable String prefix, @Nullable Integer limit, @Nullable String cursor) {

	private static final KvListOptions ALL = new KvListOptions(null, null, null);

	/**
	 * Lists every key, 1000 per page.
	 * @return the default options
	 */
	public static KvListOptions all() {
		return ALL;
	}

	/**
	 * Lists the keys that start with a prefix.
	 * @param prefix the literal prefix
	 * @return the options
	 */
	public static KvListOptions prefix(String prefix) {
		return new KvListOptions(prefix, null, null);
	}

	/**
	 * Starts building options.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Options for the page after the one that returned {@code cursor}, with the same
	 * prefix and limit.
	 * @param cursor the cursor of the previous page
	 * @return the options
	 */
	public KvListOptions withCursor(@Nullable String cursor) {
		return new KvListOptions(this.prefix, this.limit, cursor);
	}

	/**
	 * Builds {@link KvListOptions}.
	 */
	public static final class Builder {

		private @Nullable String prefix;

		private @Nullable Integer limit;

		private @Nullable String cursor;

		private Builder() {
		}

		/**
		 * List only keys that start with this literal prefix.
		 * @param prefix the prefix
		 * @return this builder
		 */
		public Builder prefix(@Nullable String prefix) {
			this.prefix = prefix;
			return this;
		}

		/**
		 * Return at most this many keys per page (1 to 1000).
		 * @param limit the page size
		 * @return this builder
		 */
		public Builder limit(int limit) {
			this.limit = limit;
			return this;
		}

		/**
		 * Continue after the page that returned this cursor.
		 * @param cursor the cursor, or {@code null} for the first page
		 * @return this builder
		 */
		public Builder cursor(@Nullable String cursor) {
			this.cursor = cursor;
			return this;
		}

		/**
		 * Builds the options.
		 * @return the options
		 */
		public KvListOptions build() {
			return new KvListOptions(this.prefix, this.limit, this.cursor);
		}

	}

}
