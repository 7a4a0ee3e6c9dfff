package io.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import io.kvstore.KvKey;
import io.kvstore.KvListOptions;
import io.kvstore.KvListResult;
import io.kvstore.KvNamespace;
import io.kvstore.memory.MemoryEntries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * list: literal prefixes, page sizes, sorting by UTF-8 bytes, pagination, cursors and the
 * isolation of stores.
 */
@OnEveryTopology
class ListTest extends AbstractKvTest {

	@Test
	void anEmptyStoreListsCompletely() {
		KvListResult result = store("demo").list();
		assertThat(result).isEqualTo(new KvListResult(List.of(), true, null));
	}

	@Test
	void keysWithinAPageAreSortedByTheirUtf8Bytes() {
		KvNamespace store = store("demo");
		// UTF-16 order differs from UTF-8 order between U+E000..U+FFFF and supplementary
		// characters.
		List<String> keys = List.of("b", "B", "a", "\uFF5E", "😀", "é", "\u0000", "a\u0000", "aa", "Z", "~", "\u007F");
		keys.forEach((key) -> store.put(key, "v"));
		List<String> listed = store.list().keys().stream().map(KvKey::name).toList();
		List<String> expected = new ArrayList<>(keys);
		expected.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
				b.getBytes(StandardCharsets.UTF_8)));
		assertThat(listed).containsExactlyElementsOf(expected);
		assertThat(listed.indexOf("\uFF5E")).isLessThan(listed.indexOf("😀"));
	}

	@ParameterizedTest(name = "prefix ''{0}''")
	@ValueSource(strings = { "*", "?", "[", "]", "\\", "{", "}", "[a-z]", "a*", "^", "-" })
	void prefixesAreLiteral(String prefix) {
		KvNamespace store = store("demo");
		List<String> keys = List.of("*", "*x", "?", "?x", "[", "[a-z]", "[a-z]x", "]", "\\", "\\x", "{", "{x}", "}",
				"a", "a*", "a*b", "ab", "b", "x", "^", "^x", "-", "a-b");
		keys.forEach((key) -> store.put(key, "v"));
		List<String> listed = store.list(KvListOptions.prefix(prefix)).keys().stream().map(KvKey::name).toList();
		assertThat(listed).isNotEmpty()
			.containsExactlyInAnyOrderElementsOf(keys.stream().filter((key) -> key.startsWith(prefix)).toList());
	}

	@Test
	void aPrefixThatMatchesNothingListsCompletely() {
		KvNamespace store = store("demo");
		store.put("abc", "v");
		assertThat(store.list(KvListOptions.prefix("abd"))).isEqualTo(new KvListResult(List.of(), true, null));
		assertThat(store.list(KvListOptions.prefix("abc")).keys()).hasSize(1);
		assertThat(store.list(KvListOptions.prefix("abcd")).keys()).isEmpty();
	}

	@Test
	void aPrefixWithAtMostLimitKeysListsCompletelyInOneCall() {
		KvNamespace store = store("demo");
		IntStream.range(0, 1000).forEach((i) -> store.put("user:" + i, "v"));
		IntStream.range(0, 3000).forEach((i) -> store.put("other:" + i, "v"));
		KvListResult result = store.list(KvListOptions.prefix("user:"));
		assertThat(result.keys()).hasSize(1000);
		assertThat(result.listComplete()).isTrue();
		assertThat(result.cursor()).isNull();
		KvListResult seven = store.list(KvListOptions.builder().prefix("user:1").limit(111).build());
		assertThat(seven.keys()).hasSize(111);
		assertThat(seven.listComplete()).isTrue();
	}

	@Test
	void aSparsePrefixInALargeKeyspaceListsCompletelyInOneCall() {
		KvNamespace store = store("demo");
		KvNamespace other = store("other");
		IntStream.range(0, 20).forEach((i) -> store.put("k" + i, "v"));
		fill(other, 20_000);
		KvListResult result = store.list();
		assertThat(result.keys()).hasSize(20);
		assertThat(result.listComplete()).isTrue();
	}

	@ParameterizedTest(name = "limit {0}")
	@ValueSource(ints = { 1, 7, 100, 999, 1000 })
	void pagesHoldExactlyLimitKeysAndTogetherListEveryKeyOnce(int limit) {
		KvNamespace store = store("demo");
		int total = (limit < 100) ? 500 : 4321;
		IntStream.range(0, total).forEach((i) -> store.put("key-" + i, "v"));
		store("other").put("key-x", "v");
		List<String> all = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			KvListResult page = store.list(KvListOptions.builder().limit(limit).cursor(cursor).build());
			pages++;
			List<String> names = page.keys().stream().map(KvKey::name).toList();
			assertThat(names).doesNotHaveDuplicates().isSortedAccordingTo(ListTest::compareUtf8);
			if (!page.listComplete()) {
				assertThat(names).hasSize(limit);
				assertThat(page.cursor()).isNotNull();
			}
			else {
				assertThat(page.cursor()).isNull();
			}
			all.addAll(names);
			cursor = page.cursor();
		}
		while (cursor != null);
		assertThat(new HashSet<>(all)).hasSize(total);
		assertThat(all).hasSize(total);
		assertThat(pages).isBetween(total / limit, total / limit + 2);
	}

	@Test
	void thePageSizeDefaultsTo1000() {
		KvNamespace store = store("demo");
		IntStream.range(0, 1500).forEach((i) -> store.put("key-" + i, "v"));
		KvListResult first = store.list();
		assertThat(first.keys()).hasSize(1000);
		assertThat(first.listComplete()).isFalse();
		KvListResult second = store.list(KvListOptions.all().withCursor(first.cursor()));
		assertThat(second.keys()).hasSize(500);
		assertThat(second.listComplete()).isTrue();
	}

	@Test
	void keysPresentForTheWholeIterationAreListedWhileOthersComeAndGo() {
		KvNamespace store = store("demo");
		IntStream.range(0, 2000).forEach((i) -> store.put("stable-" + i, "v"));
		Set<String> seen = new HashSet<>();
		String cursor = null;
		int round = 0;
		do {
			KvListResult page = store.list(KvListOptions.builder().limit(50).cursor(cursor).build());
			page.keys().forEach((key) -> seen.add(key.name()));
			for (int i = 0; i < 40; i++) {
				store.put("churn-" + round + "-" + i, "v");
				if (round > 0) {
					store.delete("churn-" + (round - 1) + "-" + i);
				}
			}
			round++;
			cursor = page.cursor();
		}
		while (cursor != null);
		for (int i = 0; i < 2000; i++) {
			assertThat(seen).contains("stable-" + i);
		}
	}

	@Test
	void tamperedForeignAndMismatchedCursorsAreRefused() {
		KvNamespace store = store("demo");
		KvNamespace other = store("other");
		IntStream.range(0, 30).forEach((i) -> {
			store.put("a" + i, "v");
			other.put("a" + i, "v");
		});
		String cursor = store.list(KvListOptions.builder().limit(10).build()).cursor();
		String prefixed = store.list(KvListOptions.builder().prefix("a").limit(10).build()).cursor();
		assertThat(store.list(KvListOptions.builder().limit(10).cursor(cursor).build()).keys()).hasSize(10);

		assertRefused(other, KvListOptions.builder().cursor(cursor).build(),
				"made by another store or for another prefix");
		assertRefused(store, KvListOptions.builder().prefix("a").cursor(cursor).build(), "for another prefix");
		assertRefused(store, KvListOptions.builder().cursor(prefixed).build(), "for another prefix");
		assertRefused(store, KvListOptions.builder().cursor(tamper(cursor)).build(), "altered");
		assertRefused(store, KvListOptions.builder().cursor(cursor.substring(0, cursor.length() - 2)).build(),
				"'cursor'");
		assertRefused(store, KvListOptions.builder().cursor(cursor + "AA").build(), "'cursor'");
		assertRefused(store, KvListOptions.builder().cursor("AAAA").build(), "too short");
		assertRefused(store, KvListOptions.builder().cursor("%%%").build(), "not Base64url");
		assertRefused(store, KvListOptions.builder().cursor("x".repeat(500)).build(), "(500 characters)");
	}

	@Test
	void aCursorCannotListAnotherStoresKeysEvenWhenForged() {
		// A cursor whose check value is right but whose keys are outside the prefix: on
		// Redis its pending keys, in memory the key to continue after.
		byte[] outside = "zzz".getBytes(StandardCharsets.UTF_8);
		String cursor = isMemory() ? MemoryEntries.forgedCursor("demo", "a", outside)
				: new ListCursor("", "0", true, List.of(outside)).encode("kv:demo:".getBytes(StandardCharsets.UTF_8),
						"a".getBytes(StandardCharsets.UTF_8));
		KvNamespace store = store("demo");
		store.put("zzz", "v");
		assertRefused(store, KvListOptions.builder().prefix("a").cursor(cursor).build(), "outside the prefix");
	}

	@Test
	void storesWhoseNamesArePrefixesOfEachOtherAreIsolated() {
		List<KvNamespace> stores = List.of(store("a"), store("a-b"), store("ab"), store("a-bc"));
		for (KvNamespace store : stores) {
			for (String key : List.of("x", "b:x", "-b:x", "b", ":x")) {
				store.put(key, store.name() + "/" + key);
			}
		}
		for (KvNamespace store : stores) {
			assertThat(store.list().keys()).extracting(KvKey::name).containsExactly("-b:x", ":x", "b", "b:x", "x");
			assertThat(store.get("b:x")).isEqualTo(store.name() + "/b:x");
		}
		stores.get(0).delete("x");
		stores.get(0).delete("b:x");
		for (KvNamespace store : stores.subList(1, stores.size())) {
			assertThat(store.get("x")).isEqualTo(store.name() + "/x");
			assertThat(store.list().keys()).hasSize(5);
		}
		assertThat(stores.get(0).list().keys()).hasSize(3);
	}

	@Test
	void listIgnoresKeysOfOtherApplicationsAndBlobs() {
		assumeTrue(this.topology != Topology.MEMORY, "it writes foreign keys into Redis with raw commands");
		KvNamespace store = store("demo");
		store.put("big", new byte[1024 * 1024 + 1]);
		io.lettuce.core.cluster.api.sync.RedisClusterCommands<String, String> raw = this.redis.raw();
		raw.set("kv:demox", "not ours");
		raw.set("kv:demo", "not ours");
		assertThat(store.list().keys()).extracting(KvKey::name).containsExactly("big");
	}

	@Test
	void listSkipsStagedEntriesThatAPutLeftBehind() {
		assumeTrue(this.topology != Topology.MEMORY, "it plants a staged Redis hash, which only the Redis layout has");
		KvNamespace store = store("demo");
		store.put("a", "v");
		store.put("b", "v");
		// What a put that died between staging its entry and renaming it leaves: a hash
		// under the store prefix that expires within the staging TTL.
		byte[] staged = new EntryLayout("kv:demo:").newStagingKey("kv:demo:a".getBytes(StandardCharsets.UTF_8));
		this.redis.rawBinary()
			.hset(staged, java.util.Map.of(EntryLayout.VALUE, new byte[1], EntryLayout.LENGTH,
					"1".getBytes(StandardCharsets.US_ASCII)));
		this.redis.rawBinary().pexpire(staged, EntryLayout.STAGING_TTL_MILLIS);
		assertThat(store.list().keys()).extracting(KvKey::name).containsExactly("a", "b");
		KvListResult first = store.list(KvListOptions.builder().limit(2).build());
		assertThat(first.keys()).extracting(KvKey::name).containsExactly("a", "b");
		assertThat(first.listComplete()).isTrue();
	}

	@Test
	void theKeyListingIsSerialisedWithRaindropsFieldNames() throws Exception {
		KvNamespace store = store("demo");
		store.put("a", "v", io.kvstore.KvPutOptions.builder().metadata(java.util.Map.of("m", 1)).build());
		store.put("b", "v");
		String json = this.jsonMapper.writeValueAsString(store.list());
		assertThat(json)
			.isEqualTo("{\"keys\":[{\"name\":\"a\",\"metadata\":{\"m\":1}},{\"name\":\"b\"}],\"list_complete\":true}");
		IntStream.range(0, 5).forEach((i) -> store.put("c" + i, "v"));
		String partial = this.jsonMapper.writeValueAsString(store.list(KvListOptions.builder().limit(2).build()));
		assertThat(partial).contains("\"list_complete\":false", "\"cursor\":\"");
	}

	private static void fill(KvNamespace store, int count) {
		for (int i = 0; i < count; i++) {
			store.put("filler-" + i, "v");
		}
	}

	private static void assertRefused(KvNamespace store, KvListOptions options, String message) {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> store.list(options))
			.withMessageContaining("'cursor'")
			.withMessageContaining(message);
	}

	private static String tamper(String cursor) {
		byte[] bytes = Base64.getUrlDecoder().decode(cursor);
		bytes[5] ^= 1;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static int compareUtf8(String a, String b) {
		return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
	}

}
