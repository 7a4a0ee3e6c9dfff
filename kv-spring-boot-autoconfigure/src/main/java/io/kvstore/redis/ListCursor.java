package io.kvstore.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.kvstore.core.KvCursors;

/**
 * The opaque cursor of a listing: where the Redis {@code SCAN} stands (on which node),
 * and the keys that the last {@code SCAN} found beyond the page, which the next page
 * returns first; wrapped by {@link KvCursors}, which binds it to the store's key prefix
 * and the listing's prefix.
 *
 * @param node the ID of the cluster master being scanned (empty on a single Redis)
 * @param scanCursor the Redis {@code SCAN} cursor on that node
 * @param scanFinished whether the {@code SCAN} has ended
 * @param pending keys (without the store prefix) found by the last {@code SCAN} but not
 * yet returned
 */
record ListCursor(String node, String scanCursor, boolean scanFinished, List<byte[]> pending) {

	static final ListCursor START = new ListCursor("", "0", false, List.of());

	private static final int VERSION = 1;

	private static final int MAX_PENDING = 1_000_000;

	/**
	 * The opaque text of this cursor, bound to the store and the listing's prefix
	 * ({@link KvCursors}).
	 */
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
		return KvCursors.encode(storePrefix, listPrefix, bytes.toByteArray());
	}

	/**
	 * Reads a cursor made by {@link #encode} for the same store and prefix.
	 * @throws IllegalArgumentException for any other text
	 */
	static ListCursor decode(String cursor, byte[] storePrefix, byte[] listPrefix, int maxKeySize) {
		byte[] content = KvCursors.decode(cursor, storePrefix, listPrefix);
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(content))) {
			if (in.readByte() != VERSION) {
				throw invalid(cursor, "its version is unknown");
			}
			String node = in.readUTF();
			String scanCursor = in.readUTF();
			boolean scanFinished = in.readBoolean();
			int count = in.readInt();
			if (!node.matches("[0-9a-f]{0,64}") || !scanCursor.matches("[0-9]{1,20}") || count < 0
					|| count > MAX_PENDING) {
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
		return KvCursors.invalid(cursor, reason);
	}

}
