package io.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import io.kvstore.KvPutOptions;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectWriter;

/**
 * Every argument check of a store and every message it gives, in one place. Each check runs
 * before any I/O and throws {@link IllegalArgumentException} naming the argument, the limit
 * and the value given (keys over the limit by their length only).
 */
final class KvLimits {

	private static final byte[] JSON_NULL = "null".getBytes(StandardCharsets.US_ASCII);

	private final KvStoreSettings settings;

	private final Clock clock;

	KvLimits(KvStoreSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
	}

	KvStoreSettings settings() {
		return this.settings;
	}

	/**
	 * Checks a key and returns its UTF-8 bytes.
	 */
	byte[] key(@Nullable String key) {
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
			throw new IllegalArgumentException("'key' must be at most " + max + " bytes in UTF-8, was " + size + " bytes");
		}
		return key.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Checks a list prefix and returns its UTF-8 bytes (empty for none).
	 */
	byte[] prefix(@Nullable String prefix) {
		if (prefix == null || prefix.isEmpty()) {
			return new byte[0];
		}
		long size = requireValidUnicode("prefix", prefix);
		int max = this.settings.maxKeySize();
		if (size > max) {
			throw new IllegalArgumentException("'prefix' must be at most " + max + " bytes in UTF-8, was " + size + " bytes");
		}
		return prefix.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Checks a list limit and returns it, or the largest page when none is given.
	 */
	int limit(@Nullable Integer limit) {
		int max = this.settings.maxListLimit();
		if (limit == null) {
			return max;
		}
		if (limit < 1 || limit > max) {
			throw new IllegalArgumentException("'limit' must be between 1 and " + max + ", was " + limit);
		}
		return limit;
	}

	<T> T notNull(String name, @Nullable T value) {
		if (value == null) {
			throw new IllegalArgumentException("'" + name + "' must not be null");
		}
		return value;
	}

	/**
	 * Checks a text value and returns its UTF-8 bytes.
	 */
	byte[] text(@Nullable String value) {
		notNull("value", value);
		valueSize(requireValidUnicode("value", value));
		return value.getBytes(StandardCharsets.UTF_8);
	}

	byte[] value(byte @Nullable [] value) {
		notNull("value", value);
		valueSize(value.length);
		return value;
	}

	void valueSize(long size) {
		if (size > this.settings.maxValueSize()) {
			valueTooLarge(size);
		}
	}

	private void valueTooLarge(long size) {
		throw new IllegalArgumentException("'value' must be at most " + this.settings.maxValueSize()
				+ " bytes, was " + size + " bytes");
	}

	/**
	 * Serialises a value for {@code putJson}.
	 */
	byte[] json(@Nullable Object value, ObjectWriter writer) {
		notNull("value", value);
		byte[] bytes;
		try {
			bytes = writer.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("'value' cannot be serialised as JSON (" + value.getClass().getName()
					+ "): " + ex.getOriginalMessage(), ex);
		}
		return value(bytes);
	}

	/**
	 * Serialises metadata to compact JSON; {@code null} when there is none.
	 */
	byte @Nullable [] metadata(@Nullable Object metadata, ObjectWriter writer) {
		if (metadata == null) {
			return null;
		}
		byte[] bytes;
		try {
			bytes = writer.writeValueAsBytes(metadata);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("'metadata' cannot be serialised as JSON ("
					+ metadata.getClass().getName() + "): " + ex.getOriginalMessage(), ex);
		}
		if (java.util.Arrays.equals(bytes, JSON_NULL)) {
			return null;
		}
		int max = this.settings.maxMetadataSize();
		if (bytes.length > max) {
			throw new IllegalArgumentException("'metadata' must be at most " + max
					+ " bytes as compact UTF-8 JSON, was " + bytes.length + " bytes");
		}
		return bytes;
	}

	/**
	 * Works out when a put expires.
	 */
	Expiry expiry(KvPutOptions options) {
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
			return Expiry.at(expiration * 1000);
		}
		Duration defaultTtl = this.settings.defaultTtl();
		if (defaultTtl != null) {
			return ttl("defaultTtl", defaultTtl.getSeconds(), minTtl);
		}
		return Expiry.NONE;
	}

	private Expiry ttl(String name, long ttl, long minTtl) {
		if (ttl < minTtl) {
			throw new IllegalArgumentException("'" + name + "' must be at least " + minTtl
					+ " seconds (the minimum TTL), was " + ttl);
		}
		long now = Math.floorDiv(this.clock.millis(), 1000);
		if (ttl > KvStoreSettings.MAX_EXPIRATION_EPOCH_SECOND - now) {
			throw new IllegalArgumentException("'" + name + "' must not reach beyond the end of year 9999 (epoch second "
					+ KvStoreSettings.MAX_EXPIRATION_EPOCH_SECOND + "): at most " + (KvStoreSettings.MAX_EXPIRATION_EPOCH_SECOND - now)
					+ " seconds now, was " + ttl);
		}
		return Expiry.after(ttl * 1000);
	}

	/**
	 * Refuses a string that has no UTF-8 form (one holding a lone surrogate) and returns the
	 * length of its UTF-8 form.
	 */
	static long requireValidUnicode(String name, String value) {
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
					throw new IllegalArgumentException("'" + name + "' must be valid Unicode, but holds a lone surrogate"
							+ String.format(" U+%04X at index %d", (int) c, i));
				}
			}
		}
		return size;
	}

	/**
	 * When an entry expires: never, a number of milliseconds after the put (measured by
	 * Redis' clock), or at an epoch millisecond.
	 */
	record Expiry(Mode mode, long millis) {

		static final Expiry NONE = new Expiry(Mode.NONE, 0);

		static Expiry after(long millis) {
			return new Expiry(Mode.AFTER, millis);
		}

		static Expiry at(long epochMillis) {
			return new Expiry(Mode.AT, epochMillis);
		}

		enum Mode {

			NONE, AFTER, AT

		}

	}

}
