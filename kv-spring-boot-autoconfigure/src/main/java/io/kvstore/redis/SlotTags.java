package io.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.lettuce.core.cluster.SlotHash;

/**
 * For every Redis Cluster slot, a short hash tag that maps to it: found once by trying
 * short alphanumeric strings until every slot has one.
 */
final class SlotTags {

	private static final String[] TAGS = build();

	private SlotTags() {
	}

	static String tag(int slot) {
		return TAGS[slot];
	}

	private static String[] build() {
		String alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
		String[] tags = new String[SlotHash.SLOT_COUNT];
		int missing = tags.length;
		int n = alphabet.length();
		byte[] candidate = new byte[3];
		for (int length = 1; length <= 3 && missing > 0; length++) {
			int combinations = (int) Math.pow(n, length);
			for (int i = 0; i < combinations && missing > 0; i++) {
				int rest = i;
				for (int p = 0; p < length; p++) {
					candidate[p] = (byte) alphabet.charAt(rest % n);
					rest /= n;
				}
				byte[] tag = Arrays.copyOf(candidate, length);
				int slot = SlotHash.getSlot(tag);
				if (tags[slot] == null) {
					tags[slot] = new String(tag, StandardCharsets.US_ASCII);
					missing--;
				}
			}
		}
		if (missing > 0) {
			throw new IllegalStateException(missing + " cluster slots have no hash tag");
		}
		return tags;
	}

}
