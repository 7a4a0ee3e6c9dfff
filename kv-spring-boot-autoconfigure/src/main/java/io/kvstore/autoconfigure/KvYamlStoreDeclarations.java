package io.kvstore.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.UrlResource;
import org.springframework.util.ClassUtils;

/**
 * Makes {@code name: {}} under {@code kv.stores} in YAML declare a store on Spring Boot
 * 4.0. Boot 4.0's YAML loader drops empty maps, so such a store would leave no property
 * behind. This reads the YAML documents that became property sources once more, finds the
 * empty maps directly under {@code kv.stores}, and declares those stores with
 * {@code kv.stores.<name>=} (an empty value, as in properties files) in a property source
 * of lowest precedence.
 * <p>
 * Boot 4.1 loads an empty map as an empty value itself (spring-boot#48958), with its
 * origin. Where Boot's loader does that, this does nothing: it finds out once by loading
 * {@code probe: {}} with Boot's {@link YamlPropertySourceLoader}, not by Boot's version.
 */
public class KvYamlStoreDeclarations implements EnvironmentPostProcessor, Ordered {

	/** The name of the property source this adds. */
	public static final String PROPERTY_SOURCE_NAME = "kvYamlStoreDeclarations";

	private static final Pattern CONFIG_RESOURCE = Pattern
		.compile("Config resource '(.+)' via location '.*'(?: \\(document #(\\d+)\\))?");

	private static final Pattern RESOURCE_DESCRIPTION = Pattern.compile("(class path resource|file|URL) \\[(.+)]");

	private static volatile @Nullable Boolean bootLoadsEmptyMaps;

	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ClassLoader classLoader = application.getClassLoader();
		if (!ClassUtils.isPresent("org.yaml.snakeyaml.Yaml", classLoader) || bootLoadsEmptyMaps()) {
			return;
		}
		Map<String, Object> declarations = new LinkedHashMap<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (source instanceof OriginTrackedMapPropertySource) {
				Matcher matcher = CONFIG_RESOURCE.matcher(source.getName());
				if (matcher.matches()) {
					Resource resource = resource(source, matcher.group(1), classLoader);
					int document = (matcher.group(2) != null) ? Integer.parseInt(matcher.group(2)) : 0;
					if (resource != null) {
						emptyStores(resource, document, (name) -> declarations.putIfAbsent("kv.stores." + name, ""));
					}
				}
			}
		}
		declarations.keySet().removeIf((property) -> environment.getProperty(property) != null);
		if (!declarations.isEmpty()) {
			environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, declarations));
		}
	}

	/**
	 * Whether Spring Boot's YAML loader keeps an empty map as a property with an empty
	 * value (Boot 4.1 and later) rather than dropping it (Boot 4.0). Found out once, by
	 * loading {@code probe: {}}; needs SnakeYAML.
	 * @return whether Boot loads {@code name: {}} as {@code name=} itself
	 */
	static boolean bootLoadsEmptyMaps() {
		Boolean loads = bootLoadsEmptyMaps;
		if (loads == null) {
			loads = false;
			try {
				Resource probe = new ByteArrayResource("probe: {}\n".getBytes(StandardCharsets.UTF_8), "probe.yml");
				for (PropertySource<?> source : new YamlPropertySourceLoader().load("probe", probe)) {
					loads |= source.containsProperty("probe");
				}
			}
			catch (IOException | RuntimeException ex) {
				// Then Boot does not load it either: declare the stores as on Boot 4.0.
			}
			bootLoadsEmptyMaps = loads;
		}
		return loads;
	}

	private static @Nullable Resource resource(PropertySource<?> source, String description,
			@Nullable ClassLoader classLoader) {
		String lower = description.toLowerCase(java.util.Locale.ROOT);
		if (!lower.endsWith(".yml]") && !lower.endsWith(".yaml]")) {
			return null;
		}
		if (source instanceof OriginLookup<?> lookup && source.getSource() instanceof Map<?, ?> map && !map.isEmpty()) {
			@SuppressWarnings("unchecked")
			Origin origin = ((OriginLookup<Object>) lookup).getOrigin(map.keySet().iterator().next());
			if (origin instanceof TextResourceOrigin text && text.getResource() != null) {
				return text.getResource();
			}
		}
		Matcher matcher = RESOURCE_DESCRIPTION.matcher(description);
		if (!matcher.matches()) {
			return null;
		}
		try {
			return switch (matcher.group(1)) {
				case "class path resource" -> new ClassPathResource(matcher.group(2), classLoader);
				case "file" -> new FileSystemResource(matcher.group(2));
				default -> new UrlResource(matcher.group(2));
			};
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static void emptyStores(Resource resource, int document, Consumer<String> stores) {
		Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
		try (InputStream in = resource.getInputStream()) {
			int index = 0;
			for (Object loaded : yaml.loadAll(new InputStreamReader(in, StandardCharsets.UTF_8))) {
				if (loaded == null) {
					continue;
				}
				if (index++ == document) {
					findEmptyMaps("", loaded, (path) -> storeName(path, stores));
					return;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Boot has read this file already; what it cannot read here it reports
			// itself.
		}
	}

	private static void findEmptyMaps(String path, Object value, Consumer<String> emptyMapPaths) {
		if (value instanceof Map<?, ?> map) {
			if (map.isEmpty()) {
				emptyMapPaths.accept(path);
				return;
			}
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				String key = String.valueOf(entry.getKey());
				String child = path.isEmpty() ? key : (key.startsWith("[") ? path + key : path + "." + key);
				if (entry.getValue() != null) {
					findEmptyMaps(child, entry.getValue(), emptyMapPaths);
				}
			}
		}
	}

	private static void storeName(String path, Consumer<String> stores) {
		ConfigurationPropertyName name = ConfigurationPropertyName.adapt(path, '.');
		if (name.getNumberOfElements() == 3 && name.getElement(0, ConfigurationPropertyName.Form.UNIFORM).equals("kv")
				&& name.getElement(1, ConfigurationPropertyName.Form.UNIFORM).equals("stores")) {
			stores.accept(name.getElement(2, ConfigurationPropertyName.Form.ORIGINAL));
		}
	}

}
