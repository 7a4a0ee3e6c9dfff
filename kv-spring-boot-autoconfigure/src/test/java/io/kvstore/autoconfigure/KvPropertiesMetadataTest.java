package io.kvstore.autoconfigure;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kvstore.core.KvNearCacheSettings;
import io.kvstore.core.KvReplicaAckSettings;
import io.kvstore.core.KvStoreSettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata that the build generates into the autoconfigure jar
 * ({@code META-INF/spring-configuration-metadata.json}, read from beside
 * {@link KvProperties}'s class), all of it: every group, every property with its type,
 * description and default, and every hint. The defaults there are documentation: they
 * must agree with {@link KvStoreSettings}, where the runtime defaults live. IDEs complete
 * {@code kv.stores.<name>.*} from the type of {@code kv.stores}, a map of
 * {@link KvStoreProperties}, and show the comments of the fields of that class and of
 * {@link KvStoreNearCacheProperties} and {@link KvStoreRedisProperties}, so those name
 * each default too (read from the sources, whose folder the build passes as
 * {@code kv.autoconfigure.sources}). The near cache's defaults live in
 * {@link KvNearCacheSettings}.
 */
class KvPropertiesMetadataTest {

	private static final KvStoreSettings DEFAULTS = KvStoreSettings.defaults("x");

	private static final KvNearCacheSettings NEAR_CACHE_DEFAULTS = KvNearCacheSettings.defaults();

	/**
	 * Every setting of one store, as written under kv.stores.<name>: near-cache.* spelt
	 * out.
	 */
	private static final List<String> STORE_SETTINGS = KvStoreDeclarations.STORE_SETTINGS.stream()
		.flatMap((setting) -> setting.equals("near-cache")
				? KvStoreDeclarations.NEAR_CACHE_SETTINGS.stream().map((near) -> "near-cache." + near)
				: setting.equals("redis") ? KvStoreDeclarations.REDIS_SETTINGS.stream().map((redis) -> "redis." + redis)
						: java.util.stream.Stream.of(setting))
		.toList();

	/** "(default: X)" in a description or comment; X ends at the first ',' or ')'. */
	private static final Pattern DEFAULT = Pattern.compile("([a-z.-]+) \\(default: ([^,)]+)[,)]");

	@Test
	void propertyDefaultsAreTheContractsLimits() {
		KvProperties properties = new KvProperties();
		assertThat(properties.getMaxKeySize().toBytes()).isEqualTo(DEFAULTS.maxKeySize());
		assertThat(properties.getMaxValueSize().toBytes()).isEqualTo(DEFAULTS.maxValueSize());
		assertThat(properties.getMaxMetadataSize().toBytes()).isEqualTo(DEFAULTS.maxMetadataSize());
		assertThat(properties.getMinTtl()).isEqualTo(DEFAULTS.minTtl());
		assertThat(properties.getMaxListLimit()).isEqualTo(DEFAULTS.maxListLimit());
		assertThat(properties.getDefaultTtl()).isEqualTo(DEFAULTS.defaultTtl()).isNull();
		assertThat(properties.getKeyPrefix() + "x:").isEqualTo(DEFAULTS.keyPrefix());
		assertThat(properties.getMinCacheTtl()).isEqualTo(DEFAULTS.minCacheTtl());
		assertThat(properties.getNearCache().getMaxEntries()).isEqualTo(NEAR_CACHE_DEFAULTS.maxEntries());
		assertThat(properties.getNearCache().getTtl()).isEqualTo(NEAR_CACHE_DEFAULTS.ttl());
		assertThat(properties.getNearCache().getMaxValueSize().toBytes()).isEqualTo(NEAR_CACHE_DEFAULTS.maxValueSize());
		assertThat(properties.getRedis().getReplicasToWait()).isEqualTo(KvReplicaAckSettings.NONE.replicas()).isZero();
		assertThat(properties.getRedis().getWaitTimeout()).isEqualTo(KvReplicaAckSettings.NONE.timeout());
	}

	@Test
	void groupsAreKvItsRedisAndTheEndpoint() throws Exception {
		List<String> groups = new ArrayList<>();
		metadata().get("groups").forEach((group) -> groups.add(group.get("name").stringValue()));
		assertThat(groups).containsExactlyInAnyOrder("kv", "kv.cache", "kv.near-cache", "kv.redis",
				"management.endpoint.kv");
	}

	@Test
	void everyPropertyHasItsTypeADescriptionAndTheDefaultOfKvStoreSettings() throws Exception {
		Map<String, JsonNode> properties = properties();
		assertThat(properties).containsOnlyKeys("kv.backend", "kv.key-prefix", "kv.default-ttl", "kv.max-key-size",
				"kv.max-value-size", "kv.max-metadata-size", "kv.min-ttl", "kv.max-list-limit", "kv.min-cache-ttl",
				"kv.near-cache.enabled", "kv.near-cache.max-entries", "kv.near-cache.ttl",
				"kv.near-cache.max-value-size", "kv.redis.restore", "kv.redis.replicas-to-wait",
				"kv.redis.wait-timeout", "kv.cache.enabled", "kv.cache.cache-null-values", "kv.cache.allowed-packages",
				"kv.stores", "management.endpoint.kv.access", "management.endpoint.kv.cache.time-to-live");
		properties.forEach((name, property) -> {
			assertThat(property.path("type").asString()).as(name + " type").isNotBlank();
			assertThat(property.path("description").asString()).as(name + " description").isNotBlank();
		});
		// The settings of every store: kv.<setting>, documented with KvStoreSettings'
		// default.
		for (String setting : STORE_SETTINGS) {
			JsonNode property = properties.get("kv." + setting);
			assertThat(property).as("kv." + setting).isNotNull();
			String documented = property.has("defaultValue") ? property.get("defaultValue").asString() : "none";
			if (setting.equals("key-prefix")) {
				documented = documented + "<name>:";
			}
			assertAgreesWithKvStoreSettings(setting, documented);
		}
		assertThat(properties.get("kv.default-ttl").has("defaultValue")).isFalse();
		KvProperties defaults = new KvProperties();
		assertThat(properties.get("kv.redis.restore").get("defaultValue").asString())
			.isEqualTo(defaults.getRedis().getRestore().name().toLowerCase(Locale.ROOT));
		assertThat(properties.get("kv.cache.enabled").get("defaultValue").asBoolean())
			.isEqualTo(defaults.getCache().isEnabled())
			.isFalse();
		assertThat(properties.get("kv.cache.cache-null-values").get("defaultValue").asBoolean())
			.isEqualTo(defaults.getCache().isCacheNullValues())
			.isFalse();
		assertThat(properties.get("kv.cache.allowed-packages").has("defaultValue")).isFalse();
		assertThat(defaults.getCache().getAllowedPackages()).isEmpty();
		assertThat(properties.get("kv.backend").get("type").asString()).isEqualTo(KvBackend.class.getName());
		assertThat(properties.get("kv.min-ttl").get("type").asString()).isEqualTo("java.time.Duration");
		assertThat(properties.get("kv.max-value-size").get("type").asString())
			.isEqualTo("org.springframework.util.unit.DataSize");
	}

	@Test
	void kvStoresIsAMapOfStoreAndItsDescriptionGivesEverySettingOfAStoreWithItsDefault() throws Exception {
		JsonNode stores = properties().get("kv.stores");
		// What IDEs complete kv.stores.<name>.* from.
		assertThat(stores.get("type").asString())
			.isEqualTo("java.util.Map<java.lang.String,io.kvstore.autoconfigure.KvStoreProperties>");
		assertThat(storeProperties(KvStoreProperties.class, "")).containsExactlyInAnyOrderElementsOf(STORE_SETTINGS);
		Map<String, String> documented = defaults(stores.get("description").asString());
		assertThat(documented.keySet()).containsExactlyElementsOf(STORE_SETTINGS);
		documented.forEach(KvPropertiesMetadataTest::assertAgreesWithKvStoreSettings);
	}

	@Test
	void theCommentOfEverySettingOfAStoreNamesItsDefault() throws Exception {
		String sourceFolder = System.getProperty("kv.autoconfigure.sources");
		assertThat(sourceFolder).as("system property kv.autoconfigure.sources (set by the build)").isNotBlank();
		Map<String, String> documented = new LinkedHashMap<>();
		documentedDefaults(classBody(sourceFolder, KvStoreProperties.class), "", documented);
		documentedDefaults(classBody(sourceFolder, KvStoreNearCacheProperties.class), "near-cache.", documented);
		documentedDefaults(classBody(sourceFolder, KvStoreRedisProperties.class), "redis.", documented);
		assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(STORE_SETTINGS);
		documented.forEach(KvPropertiesMetadataTest::assertAgreesWithKvStoreSettings);
	}

	@Test
	void theOnlyHintGivesExampleStoreNamesAndAnyOtherName() throws Exception {
		JsonNode hints = metadata().get("hints");
		assertThat(hints).hasSize(1);
		JsonNode keys = hints.get(0);
		assertThat(keys.get("name").asString()).isEqualTo("kv.stores.keys");
		List<String> values = new ArrayList<>();
		keys.get("values").forEach((value) -> {
			values.add(value.get("value").asString());
			assertThat(value.get("description").asString()).startsWith("An example");
		});
		assertThat(values).containsExactly("demo-cache", "sessions");
		assertThat(keys.get("providers")).hasSize(1);
		assertThat(keys.get("providers").get(0).get("name").asString()).isEqualTo("any");
		assertThat(metadata().toString()).doesNotContain("class-reference");
	}

	private static void assertAgreesWithKvStoreSettings(String setting, String documented) {
		var that = assertThat(documented).as(setting + " documented as '" + documented + "'");
		switch (setting) {
			case "backend" -> that.isEqualTo(new KvProperties().getBackend().name().toLowerCase(Locale.ROOT));
			case "key-prefix" ->
				that.satisfies((value) -> assertThat(value.replace("<name>", "x")).isEqualTo(DEFAULTS.keyPrefix()));
			case "default-ttl" -> that.satisfies((value) -> {
				assertThat(DEFAULTS.defaultTtl()).isNull();
				assertThat(value).isEqualTo("none");
			});
			case "max-key-size" ->
				that.satisfies((value) -> assertThat(DataSize.parse(value).toBytes()).isEqualTo(DEFAULTS.maxKeySize()));
			case "max-value-size" -> that
				.satisfies((value) -> assertThat(DataSize.parse(value).toBytes()).isEqualTo(DEFAULTS.maxValueSize()));
			case "max-metadata-size" -> that.satisfies(
					(value) -> assertThat(DataSize.parse(value).toBytes()).isEqualTo(DEFAULTS.maxMetadataSize()));
			case "min-ttl" ->
				that.satisfies((value) -> assertThat(DurationStyle.detectAndParse(value)).isEqualTo(DEFAULTS.minTtl()));
			case "max-list-limit" ->
				that.satisfies((value) -> assertThat(Integer.parseInt(value)).isEqualTo(DEFAULTS.maxListLimit()));
			case "min-cache-ttl" -> that.satisfies(
					(value) -> assertThat(DurationStyle.detectAndParse(value)).isEqualTo(DEFAULTS.minCacheTtl()));
			case "near-cache.enabled" ->
				that.isEqualTo(Boolean.toString(new KvProperties().getNearCache().isEnabled())).isEqualTo("false");
			case "near-cache.max-entries" -> that
				.satisfies((value) -> assertThat(Integer.parseInt(value)).isEqualTo(NEAR_CACHE_DEFAULTS.maxEntries()));
			case "near-cache.ttl" -> that.satisfies(
					(value) -> assertThat(DurationStyle.detectAndParse(value)).isEqualTo(NEAR_CACHE_DEFAULTS.ttl()));
			case "near-cache.max-value-size" -> that.satisfies((value) -> assertThat(DataSize.parse(value).toBytes())
				.isEqualTo(NEAR_CACHE_DEFAULTS.maxValueSize()));
			case "redis.replicas-to-wait" -> that.satisfies(
					(value) -> assertThat(Integer.parseInt(value)).isEqualTo(KvReplicaAckSettings.NONE.replicas()));
			case "redis.wait-timeout" -> that.satisfies((value) -> assertThat(DurationStyle.detectAndParse(value))
				.isEqualTo(KvReplicaAckSettings.NONE.timeout()));
			default -> throw new AssertionError("No default known for the setting '" + setting + "'");
		}
	}

	// "setting (default: X)" pairs, in order.
	private static Map<String, String> defaults(String text) {
		Map<String, String> defaults = new LinkedHashMap<>();
		Matcher matcher = DEFAULT.matcher(text);
		while (matcher.find()) {
			defaults.put(matcher.group(1), matcher.group(2).trim());
		}
		return defaults;
	}

	// The fields of one class of a store's settings: each "Unset:
	// 'kv.<prefix><setting>' (default: X)".
	private static void documentedDefaults(String body, String prefix, Map<String, String> documented) {
		Matcher field = Pattern
			.compile("/\\*\\*(.*?)\\*/\\s*(?:@\\w+\\([^)]*\\)\\s*)*private @Nullable \\S+ (\\w+);", Pattern.DOTALL)
			.matcher(body);
		while (field.find()) {
			String comment = field.group(1).replaceAll("\\s*\\n\\s*\\*\\s?", " ").replaceAll("\\{@code ([^}]*)}", "$1");
			String setting = prefix + dashed(field.group(2));
			assertThat(comment).as(setting).contains("Unset: 'kv." + setting + "'").contains("(default: ");
			Map<String, String> defaults = defaults(setting + " " + comment.substring(comment.indexOf("(default: ")));
			assertThat(defaults).as(setting).containsKey(setting);
			documented.put(setting, defaults.get(setting));
		}
	}

	// From "public class <name> {" to the end of the class's source file.
	private static String classBody(String sourceFolder, Class<?> type) throws Exception {
		String file = type.getName().replace('.', '/') + ".java";
		String source = Files.readString(Path.of(sourceFolder, file), StandardCharsets.UTF_8);
		int start = source.indexOf("public class " + type.getSimpleName() + " {");
		assertThat(start).as("class " + type.getSimpleName() + " in " + file).isNotNegative();
		return source.substring(start);
	}

	// The bean properties IDEs navigate under kv.stores.<name>, nested ones spelt out.
	private static List<String> storeProperties(Class<?> type, String prefix) {
		List<String> names = new ArrayList<>();
		for (var descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
				continue;
			}
			if (descriptor.getWriteMethod() != null) {
				names.add(prefix + dashed(descriptor.getName()));
			}
			else if (descriptor.getPropertyType().getPackageName().equals(KvProperties.class.getPackageName())) {
				names
					.addAll(storeProperties(descriptor.getPropertyType(), prefix + dashed(descriptor.getName()) + "."));
			}
		}
		return names;
	}

	private static String dashed(String camelCase) {
		return camelCase.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
	}

	private static Map<String, JsonNode> properties() throws Exception {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		metadata().get("properties").forEach((property) -> properties.put(property.get("name").asString(), property));
		return properties;
	}

	// The metadata beside KvProperties' class: in target/classes, or in the jar under
	// test.
	private static JsonNode metadata() throws Exception {
		String classFile = KvProperties.class.getName().replace('.', '/') + ".class";
		String location = KvProperties.class.getClassLoader().getResource(classFile).toString();
		URI metadata = URI.create(location.substring(0, location.length() - classFile.length())
				+ "META-INF/spring-configuration-metadata.json");
		try (InputStream in = metadata.toURL().openStream()) {
			return JsonMapper.builder().build().readTree(in);
		}
	}

}
