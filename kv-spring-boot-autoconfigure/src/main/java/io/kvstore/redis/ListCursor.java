package io.kvstore.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The opaque cursor of a listing: where the Redis {@code SCAN} stands (on which node), and
 * the keys that the last {@code SCAN} found beyond the page, which the next page returns
 * first. It is Base64url text with a check value computed over the store's key prefix, the
 * listing prefix and the content, so a cursor that was altered, truncated or made by another
 * store or prefix is refused with {@link IllegalArgumentException}. The check guards against
 * mistakes, not against forgery; a forged cursor can still only list this store's keys that
 * start with the prefix, because the pattern comes from the call, never from the cursor.
 *
 * @param node the ID of the cluster master being scanned (empty on a single Redis)
 * @param scanCursor the Redis {@code SCAN} cursor on that node
 * @param scanFinished whether the {@code SCAN} has ended
 * @param pending keys (without the store prefix) found by the last {@code SCAN} but not yet
 * returned
 */
record ListCursor(String node, String scanCursor, boolean scanFinished, List<byte[]> pending) {

	static final ListCursor START = new ListCursor("", "0", false, List.of());

	private static final int VERSION = 1;

	private static final int CHECK_LENGTH = 8;

	private static final int MAX_PENDING = 1_000_000;

	String encode(byte[] storePrefix, byte[] listPrefix) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(VERSION);
			out.writeUTF(this.node);
			out.writeUTF(this.scanCursor);
			out.writeBoolean(this.scanFinished);
			out.writeInt(this.pending.size());
			for (byte[] key : this.pending) {
				out.writeInt(key.length);
				out.write(key);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		byte[] content = bytes.toByteArray();
		byte[] check = check(storePrefix, listPrefix, content);
		byte[] all = Arrays.copyOf(content, content.length + CHECK_LENGTH);
		System.arraycopy(check, 0, all, content.length, CHECK_LENGTH);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
	}

	/**
	 * Reads a cursor made by {@link #encode} for the same store and prefix.
	 * @throws IllegalArgumentException for any other text
	 */
	static ListCursor decode(String cursor, byte[] storePrefix, byte[] listPrefix, int maxKeySize) {
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
		if (!MessageDigest.isEqual(check, check(storePrefix, listPrefix, content))) {
			throw invalid(cursor, "it was altered, or made by another store or for another prefix");
		}
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(content))) {
			if (in.readByte() != VERSION) {
				throw invalid(cursor, "its version is unknown");
			}
			String node = in.readUTF();
			String scanCursor = in.readUTF();
			boolean scanFinished = in.readBoolean();
			int count = in.readInt();
			if (!node.matches("[0-9a-f]{0,64}") || !scanCursor.matches("[0-9]{1,20}") || count < 0 || count > MAX_PENDING) {
				throw invalid(cursor, "its content is out of range");
			}
			List<byte[]> pending = new ArrayList<>(Math.min(count, 1024));
			for (int i = 0; i < count; i++) {
				int length = in.readInt();
				if (length < 1 || length > maxKeySize) {
					throw invalid(cursor, "it holds a key of a length out of range");
				}
				byte[] key = in.readNBytes(length);
				if (key.length != length || !startsWith(key, listPrefix)) {
					throw invalid(cursor, "it holds a key outside the prefix");
				}
				pending.add(key);
			}
			if (in.read() != -1) {
				throw invalid(cursor, "it has trailing bytes");
			}
			return new ListCursor(node, scanCursor, scanFinished, pending);
		}
		catch (IOException ex) {
			throw invalid(cursor, "it is truncated");
		}
	}

	private static boolean startsWith(byte[] key, byte[] prefix) {
		return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
	}

	private static IllegalArgumentException invalid(String cursor, String reason) {
		String shown = (cursor.length() <= 64) ? cursor : cursor.substring(0, 64) + "... (" + cursor.length() + " characters)";
		return new IllegalArgumentException("'cursor' must be a cursor returned by list() of this store with the same prefix, but "
				+ reason + "; was '" + shown + "'");
	}

	private static byte[] check(byte[] storePrefix, byte[] listPrefix, byte[] content) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update("kv-list-cursor".getBytes(StandardCharsets.US_ASCII));
			update(digest, storePrefix);
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
		digest.update(new byte[] { (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length });
		digest.update(part);
	}

}
