package io.kvstore.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.origin.Origin;

/**
 * Start-up failures for a property of {@code kv.*}, each with the value as written and
 * where it came from, looked up in the property sources the declarations were bound from.
 */
final class KvPropertyFailures {

	private KvPropertyFailures() {
	}

	/**
	 * A start-up failure for a property, with its value as written and where it came from
	 * (a file and line, or the environment).
	 */
	static KvConfigurationException invalid(String property, Iterable<ConfigurationPropertySource> sources,
			String problem, String action, @Nullable Throwable cause) {
		ConfigurationProperty written = find(property, sources);
		Object value = (written != null) ? written.getValue() : null;
		Origin origin = (written != null) ? written.getOrigin() : null;
		return new KvConfigurationException(property, value, (origin != null) ? origin.toString() : null, problem,
				action, cause);
	}

	private static @Nullable ConfigurationProperty find(String property,
			Iterable<ConfigurationPropertySource> sources) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : sources) {
			ConfigurationProperty found = source.getConfigurationProperty(name);
			if (found != null) {
				return found;
			}
		}
		return null;
	}

}
