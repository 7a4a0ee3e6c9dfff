package io.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.kvstore.KvKey;
import io.kvstore.KvListOptions;
import io.kvstore.KvListResult;
import io.kvstore.KvNamespace;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random keys full of what could escape a store (glob characters, braces, backslashes,
 * colons, NUL, unicode, keys of the maximum length) in stores whose names overlap: list,
 * get and delete in one store never see or touch another's entries.
 */
@OnEveryTopology
class IsolationFuzzTest extends AbstractKvTest {

	private static final String ALPHABET = "*?[]\\{}:^-!a\u0000é€😀/ ";

	@Test
	void storesWithOverlappingNamesNeverSeeOrTouchEachOthersEntries() {
		Random random = new Random(20261125);
		List<KvNamespace> stores = List.of(store("a"), store("a-b"), store("ab"), store("a-b-c"));
		Map<String, Map<String, String>> expected = new HashMap<>();
		for (KvNamespace store : stores) {
			expected.put(store.name(), new HashMap<>());
		}
		for (int round = 0; round < 600; round++) {
			KvNamespace store = stores.get(random.nextInt(stores.size()));
			String key = randomKey(random);
			Map<String, String> entries = expected.get(store.name());
			if (random.nextInt(4) == 0 && !entries.isEmpty()) {
				String victim = new ArrayList<>(entries.keySet()).get(random.nextInt(entries.size()));
				store.delete(victim);
				entries.remove(victim);
			}
			else {
				String value = store.name() + "/" + round;
				store.put(key, value);
				entries.put(key, value);
			}
		}
		for (KvNamespace store : stores) {
			Map<String, String> entries = expected.get(store.name());
			assertThat(listAll(store, null)).containsExactlyInAnyOrderElementsOf(entries.keySet());
			for (Map.Entry<String, String> entry : entries.entrySet()) {
				assertThat(store.get(entry.getKey())).isEqualTo(entry.getValue());
			}
			// Prefix listings: every prefix of a few keys lists exactly the keys that
			// start with it.
			for (String key : new ArrayList<>(entries.keySet()).subList(0, Math.min(15, entries.size()))) {
				String prefix = key.substring(0,
						Math.max(1, key.offsetByCodePoints(0, Math.min(3, key.codePointCount(0, key.length())))));
				Set<String> matching = new HashSet<>();
				entries.keySet().stream().filter((k) -> k.startsWith(prefix)).forEach(matching::add);
				assertThat(listAll(store, prefix)).containsExactlyInAnyOrderElementsOf(matching);
			}
		}
	}

	private static List<String> listAll(KvNamespace store, String prefix) {
		List<String> names = new ArrayList<>();
		String cursor = null;
		do {
			KvListResult page = store.list(KvListOptions.builder().prefix(prefix).limit(37).cursor(cursor).build());
			page.keys().stream().map(KvKey::name).forEach(names::add);
			cursor = page.cursor();
		}
		while (cursor != null);
		assertThat(names).doesNotHaveDuplicates();
		return names;
	}

	private static String randomKey(Random random) {
		if (random.nextInt(40) == 0) {
			// A key of exactly the maximum length, made of the same characters.
			StringBuilder key = new StringBuilder();
			while (key.toString().getBytes(StandardCharsets.UTF_8).length < 509) {
				key.append(ALPHABET.charAt(random.nextInt(12)));
			}
			while (key.toString().getBytes(StandardCharsets.UTF_8).length < 512) {
				key.append('x');
			}
			return key.toString();
		}
		int[] codePoints = ALPHABET.codePoints().toArray();
		StringBuilder key = new StringBuilder();
		int length = 1 + random.nextInt(8);
		for (int i = 0; i < length; i++) {
			key.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
		}
		String result = key.toString();
		return (result.equals(".") || result.equals("..")) ? result + "x" : result;
	}

}
