package io.kvstore.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The envelope of every backend's list cursor: the backend's content, then a check value
 * over the store, the listing prefix and the content, as Base64url text. A cursor that
 * was altered, truncated or made by another store or for another prefix is refused with
 * {@link IllegalArgumentException}, with the same message on every backend. The check
 * guards against mistakes, not against forgery: a backend takes the listing's pattern
 * from the call, never from the cursor, so no cursor lists another store's keys.
 */
public final class KvCursors {

	private static final int CHECK_LENGTH = 8;

	private KvCursors() {
	}

	/**
	 * Wraps a backend's cursor content.
	 * @param store what identifies the store (its key prefix on Redis, its name in
	 * memory)
	 * @param listPrefix the listing's prefix
	 * @param content the backend's content
	 * @return the opaque cursor
	 */
	public static String encode(byte[] store, byte[] listPrefix, byte[] content) {
		byte[] all = Arrays.copyOf(content, content.length + CHECK_LENGTH);
		System.arraycopy(check(store, listPrefix, content), 0, all, content.length, CHECK_LENGTH);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
	}

	/**
	 * Unwraps a cursor made by {@link #encode} for the same store and prefix.
	 * @param cursor the cursor
	 * @param store what identifies the store
	 * @param listPrefix the listing's prefix
	 * @return the backend's content
	 * @throws IllegalArgumentException for any other text
	 */
	public static byte[] decode(String cursor, byte[] store, byte[] listPrefix) {
		byte[] all;
		try {
			all = Base64.getUrlDecoder().decode(cursor);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(cursor, "it is not Base64url text");
		}
		if (all.length <= CHECK_LENGTH) {
			throw invalid(cursor, "it is too short");
		}
		byte[] content = Arrays.copyOf(all, all.length - CHECK_LENGTH);
		byte[] check = Arrays.copyOfRange(all, all.length - CHECK_LENGTH, all.length);
		if (!MessageDigest.isEqual(check, check(store, listPrefix, content))) {
			throw invalid(cursor, "it was altered, or made by another store or for another prefix");
		}
		return content;
	}

	/**
	 * The exception for a cursor that passed the check but whose content a backend
	 * refuses.
	 * @param cursor the cursor
	 * @param reason why, such as {@code it is truncated}
	 * @return the exception to throw
	 */
	public static IllegalArgumentException invalid(String cursor, String reason) {
		String shown = (cursor.length() <= 64) ? cursor
				: cursor.substring(0, 64) + "... (" + cursor.length() + " characters)";
		return new IllegalArgumentException(
				"'cursor' must be a cursor returned by list() of this store with the same prefix, but " + reason
						+ "; was '" + shown + "'");
	}

	private static byte[] check(byte[] store, byte[] listPrefix, byte[] content) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update("kv-list-cursor".getBytes(StandardCharsets.US_ASCII));
			update(digest, store);
			update(digest, listPrefix);
			update(digest, content);
			return Arrays.copyOf(digest.digest(), CHECK_LENGTH);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private static void update(MessageDigest digest, byte[] part) {
		int length = part.length;
		digest.update(
				new byte[] { (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length });
		digest.update(part);
	}

}
