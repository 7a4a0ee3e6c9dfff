package io.kvstore.core;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.kvstore.KvGetOptions;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import org.jspecify.annotations.Nullable;

import org.springframework.lang.Contract;

/**
 * Every argument check of a store and every message it gives, in one place, for every
 * backend. Each check runs before any I/O and throws {@link IllegalArgumentException}
 * naming the argument, the limit and the value given (keys over the limit by their length
 * only).
 */
public final class KvChecks {

	private static final Pattern STORE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

	private static final byte[] JSON_NULL = "null".getBytes(StandardCharsets.US_ASCII);

	private final KvStoreSettings settings;

	private final Clock clock;

	/**
	 * Checks for a store with the given settings.
	 * @param settings the store's settings
	 * @param clock the clock that absolute expirations are checked against
	 */
	public KvChecks(KvStoreSettings settings, Clock clock) {
		this.settings = notNull("settings", settings);
		this.clock = notNull("clock", clock);
	}

	/**
	 * The settings whose limits these checks apply.
	 * @return the store's settings
	 */
	public KvStoreSettings settings() {
		return this.settings;
	}

	/**
	 * The clock that absolute expirations are checked against.
	 * @return the clock
	 */
	public Clock clock() {
		return this.clock;
	}

	/**
	 * Checks a store name.
	 * @param name the name
	 * @throws IllegalArgumentException when the name is not lowercase letters, digits and
	 * {@code -}, starting with a letter, at most 63 characters
	 */
	public static void checkStoreName(@Nullable String name) {
		if (name == null || !STORE_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"Store name must be lowercase letters, digits and '-', start with a letter "
							+ "and be at most 63 characters long, was " + ((name != null) ? "'" + name + "'" : "null"));
		}
	}

	/**
	 * Checks a key and returns its UTF-8 bytes.
	 * @param key the key
	 * @return the key in UTF-8
	 * @throws IllegalArgumentException when the key is {@code null}, empty, {@code .} or
	 * {@code ..}, not valid Unicode, or longer than the largest key
	 */
	public byte[] key(@Nullable String key) {
		if (key == null) {
			throw new IllegalArgumentException("'key' must not be null");
		}
		if (key.isEmpty()) {
			throw new IllegalArgumentException("'key' must not be empty");
		}
		if (key.equals(".") || key.equals("..")) {
			throw new IllegalArgumentException("'key' must not be '.' or '..', was '" + key + "'");
		}
		int max = this.settings.maxKeySize();
		long size = requireValidUnicode("key", key);
		if (size > max) {
			throw new IllegalArgumentException(
					"'key' must be at most " + max + " bytes in UTF-8, was " + size + " bytes");
		}
		return key.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Checks the options of a read and returns its cache TTL in seconds, or {@code null}
	 * for the near cache's default.
	 * @param options the read's options
	 * @return the cache TTL in seconds, or {@code null} when the read gives none
	 * @throws IllegalArgumentException when the options are {@code null} or the cache TTL
	 * is shorter than the store's minimum cache TTL
	 */
	public @Nullable Long cacheTtl(@Nullable KvGetOptions options) {
		notNull("options", options);
		Long ttl = options.cacheTtl();
		long min = this.settings.minCacheTtl().getSeconds();
		if (ttl != null && ttl < min) {
			throw new IllegalArgumentException("'cacheTtl' must be at least " + min
					+ " seconds (the minimum cache TTL, min-cache-ttl), was " + ttl);
		}
		return ttl;
	}

	/**
	 * Checks the keys of a bulk call, each as {@link #key} checks a single one, and
	 * returns the distinct ones in the order first given, with their UTF-8 bytes.
	 * @param keys the keys
	 * @param max the most distinct keys the call takes
	 * @param limit how the message names that limit, such as {@code 100} or
	 * {@code 1000 (the store's max-list-limit)}
	 * @return the distinct keys in the order first given, each with its UTF-8 bytes
	 * @throws IllegalArgumentException when the collection or a key is {@code null}, a
	 * key fails its check, or there are more than {@code max} distinct keys
	 */
	public Map<String, byte[]> keys(@Nullable Collection<String> keys, int max, String limit) {
		notNull("keys", keys);
		Map<String, byte[]> checked = new LinkedHashMap<>();
		int index = 0;
		for (String key : keys) {
			if (key == null) {
				throw new IllegalArgumentException("'keys' must not contain null, but holds it at index " + index);
			}
			if (!checked.containsKey(key)) {
				try {
					checked.put(key, key(key));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(
							"'keys' holds a bad key at index " + index + ": " + ex.getMessage(), ex);
				}
				if (checked.size() > max) {
					throw new IllegalArgumentException("'keys' must hold at most " + limit + " distinct keys, was "
							+ new java.util.HashSet<>(keys).size());
				}
			}
			index++;
		}
		return checked;
	}

	/**
	 * Refuses the values of a bulk read that together exceed the store's value limit.
	 * @param keys how many keys were read
	 * @param total their values' bytes together
	 */
	public void bulkSize(int keys, long total) {
		long max = this.settings.maxValueSize();
		if (total > max) {
			throw new IllegalArgumentException("The values of the " + keys + " keys read take " + total
					+ " bytes together, more than the store's limit of " + max
					+ " bytes for one call (max-value-size); read fewer keys at once");
		}
	}

	/**
	 * Checks the type of a bulk read: whole values only.
	 * @param <T> the Java type of the values
	 * @param type the type asked for
	 * @return the type
	 * @throws IllegalArgumentException when the type is {@code null} or
	 * {@link KvType#STREAM}
	 */
	public <T> KvType<T> bulkType(@Nullable KvType<T> type) {
		notNull("type", type);
		if (type.kind() == KvType.Kind.STREAM) {
			throw new IllegalArgumentException(
					"'type' must not be " + type + " in a bulk read: read streams one key at a time");
		}
		return type;
	}

	/**
	 * Checks a list prefix and returns its UTF-8 bytes (empty for none).
	 * @param prefix the prefix, or {@code null} for none
	 * @return the prefix in UTF-8, empty for none
	 * @throws IllegalArgumentException when the prefix is not valid Unicode or longer
	 * than the largest key
	 */
	public byte[] prefix(@Nullable String prefix) {
		if (prefix == null || prefix.isEmpty()) {
			return new byte[0];
		}
		long size = requireValidUnicode("prefix", prefix);
		int max = this.settings.maxKeySize();
		if (size > max) {
			throw new IllegalArgumentException(
					"'prefix' must be at most " + max + " bytes in UTF-8, was " + size + " bytes");
		}
		return prefix.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Checks a list limit and returns it, or the largest page when none is given.
	 * @param limit the limit, or {@code null} for none
	 * @return the page size
	 * @throws IllegalArgumentException when the limit is outside 1 to the largest list
	 * page
	 */
	public int limit(@Nullable Integer limit) {
		int max = this.settings.maxListLimit();
		if (limit == null) {
			return max;
		}
		if (limit < 1 || limit > max) {
			throw new IllegalArgumentException("'limit' must be between 1 and " + max + ", was " + limit);
		}
		return limit;
	}

	/**
	 * Refuses {@code null}.
	 * @param <T> the type of the value
	 * @param name the name of the argument, for the message
	 * @param value the value
	 * @return the value
	 * @throws IllegalArgumentException when the value is {@code null}
	 */
	@Contract("_, null -> fail")
	public static <T> T notNull(String name, @Nullable T value) {
		if (value == null) {
			throw new IllegalArgumentException("'" + name + "' must not be null");
		}
		return value;
	}

	/**
	 * Checks a text value and returns its UTF-8 bytes.
	 * @param value the value
	 * @return the value in UTF-8
	 * @throws IllegalArgumentException when the value is {@code null}, not valid Unicode
	 * or larger than the largest value
	 */
	public byte[] text(@Nullable String value) {
		notNull("value", value);
		valueSize(requireValidUnicode("value", value));
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Checks a value given as bytes.
	 * @param value the value
	 * @return the value, not copied
	 * @throws IllegalArgumentException when the value is {@code null} or larger than the
	 * largest value
	 */
	public byte[] value(byte @Nullable [] value) {
		notNull("value", value);
		valueSize(value.length);
		return value;
	}

	/**
	 * Checks the size of a value.
	 * @param size the size in bytes
	 * @throws IllegalArgumentException when it is larger than the largest value
	 */
	public void valueSize(long size) {
		if (size > this.settings.maxValueSize()) {
			valueTooLarge(size);
		}
	}

	private void valueTooLarge(long size) {
		throw new IllegalArgumentException(
				"'value' must be at most " + this.settings.maxValueSize() + " bytes, was " + size + " bytes");
	}

	/**
	 * Checks the compact JSON of metadata and returns it; {@code null} when there is none
	 * (no metadata, or JSON {@code null}).
	 * @param json the metadata as compact UTF-8 JSON, or {@code null}
	 * @return the JSON, or {@code null} when there is no metadata
	 * @throws IllegalArgumentException when it is larger than the largest metadata
	 */
	public byte @Nullable [] metadata(byte @Nullable [] json) {
		if (json == null || Arrays.equals(json, JSON_NULL)) {
			return null;
		}
		int max = this.settings.maxMetadataSize();
		if (json.length > max) {
			throw new IllegalArgumentException("'metadata' must be at most " + max
					+ " bytes as compact UTF-8 JSON, was " + json.length + " bytes");
		}
		return json;
	}

	/**
	 * Works out when a put expires: its {@code expirationTtl}, else its
	 * {@code expiration}, else the store's default TTL, else never.
	 * @param options the put's options
	 * @return when the entry expires
	 * @throws IllegalArgumentException when the expiration is shorter than the minimum
	 * TTL, in the past, or beyond the end of year 9999
	 */
	public KvExpiry expiry(KvPutOptions options) {
		Long ttl = options.expirationTtl();
		long minTtl = this.settings.minTtl().getSeconds();
		if (ttl != null) {
			return ttl("expirationTtl", ttl, minTtl);
		}
		Long expiration = options.expiration();
		if (expiration != null) {
			long now = Math.floorDiv(this.clock.millis(), 1000);
			if (expiration <= now) {
				throw new IllegalArgumentException("'expiration' must be in the future (epoch seconds greater than "
						+ now + "), was " + expiration);
			}
			if (expiration - now < minTtl) {
				throw new IllegalArgumentException("'expiration' must be at least " + minTtl
						+ " seconds (the minimum TTL) in the future, at least " + (now + minTtl) + ", was "
						+ expiration);
			}
			if (expiration > KvStoreSettings.MAX_EXPIRATION_EPOCH_SECOND) {
				throw new IllegalArgumentException("'expiration' must be at most "
						+ KvStoreSettings.MAX_EXPIRATION_EPOCH_SECOND + " (the end of year 9999), was " + expiration);
			}
			return KvExpiry.at(expiration * 1000);
		}
		Duration defaultTtl = this.settings.defaultTtl();
		if (defaultTtl != null) {
			return ttl("defaultTtl", defaultTtl.getSeconds(), minTtl);
		}
		return KvExpiry.NONE;
	}

	private KvExpiry ttl(String name, long ttl, long minTtl) {
		if (ttl < minTtl) {
			throw new IllegalArgumentException(
					"'" + name + "' must be at least " + minTtl + " seconds (the minimum TTL), was " + ttl);
		}
		long now = Math.floorDiv(this.clock.millis(), 1000);
		if (ttl > KvStoreSettings.MAX_EXPIRATION_EPOCH_SECOND - now) {
			throw new IllegalArgumentException(
					"'" + name + "' must not reach beyond the end of year 9999 (epoch second "
							+ KvStoreSettings.MAX_EXPIRATION_EPOCH_SECOND + "): at most "
							+ (KvStoreSettings.MAX_EXPIRATION_EPOCH_SECOND - now) + " seconds now, was " + ttl);
		}
		return KvExpiry.after(ttl * 1000);
	}

	/**
	 * Refuses a string that has no UTF-8 form (one holding a lone surrogate) and returns
	 * the length of its UTF-8 form.
	 * @param name the name of the argument, for the message
	 * @param value the string
	 * @return the length of its UTF-8 form, in bytes
	 * @throws IllegalArgumentException when the string holds a lone surrogate
	 */
	public static long requireValidUnicode(String name, String value) {
		int length = value.length();
		long size = 0;
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c < 0x80) {
				size += 1;
			}
			else if (c < 0x800) {
				size += 2;
			}
			else if (!Character.isSurrogate(c)) {
				size += 3;
			}
			else {
				if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
					size += 4;
					i++;
				}
				else {
					throw new IllegalArgumentException(
							"'" + name + "' must be valid Unicode, but holds a lone surrogate"
									+ String.format(" U+%04X at index %d", (int) c, i));
				}
			}
		}
		return size;
	}

}
