package io.kvstore.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link KvConfigurationException} at start-up: the property, the value given,
 * what is wrong and how to fix it.
 */
class KvFailureAnalyzer extends AbstractFailureAnalyzer<KvConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KvConfigurationException cause) {
		StringBuilder description = new StringBuilder("The KV store configuration is invalid:\n\n");
		description.append("    Property: ").append(cause.getProperty()).append('\n');
		if (cause.getValue() != null) {
			description.append("    Value: \"").append(cause.getValue()).append("\"\n");
		}
		if (cause.getOrigin() != null) {
			description.append("    Origin: ").append(cause.getOrigin()).append('\n');
		}
		description.append("    Reason: ").append(cause.getProblem());
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

}
