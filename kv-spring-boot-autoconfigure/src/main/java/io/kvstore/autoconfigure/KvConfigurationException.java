package io.kvstore.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A problem with the KV configuration that stops the application from starting: which
 * property, what is wrong with it and how to fix it. {@link KvFailureAnalyzer} turns it
 * into Spring Boot's start-up failure report.
 */
public class KvConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** The property at fault. */
	private final String property;

	/** The value as written, or {@code null} when none applies. */
	private final @Nullable String value;

	/** Where the value came from, or {@code null} when unknown. */
	private final @Nullable String origin;

	/** What is wrong, without the property name. */
	private final String problem;

	/** How to fix it. */
	private final String action;

	/**
	 * Creates an exception.
	 * @param property the property at fault, such as {@code kv.stores.sessions.min-ttl}
	 * @param value the value given, or {@code null} when none applies
	 * @param problem what is wrong
	 * @param action how to fix it
	 */
	public KvConfigurationException(String property, @Nullable Object value, String problem, String action) {
		this(property, value, null, problem, action, null);
	}

	/**
	 * Creates an exception with a cause.
	 * @param property the property at fault
	 * @param value the value given, or {@code null} when none applies
	 * @param problem what is wrong
	 * @param action how to fix it
	 * @param cause the underlying error
	 */
	public KvConfigurationException(String property, @Nullable Object value, String problem, String action,
			@Nullable Throwable cause) {
		this(property, value, null, problem, action, cause);
	}

	/**
	 * Creates an exception for a value with a known origin.
	 * @param property the property at fault
	 * @param value the value as written, or {@code null} when none applies
	 * @param origin where the value came from (a file and line, an environment variable),
	 * or {@code null} when unknown
	 * @param problem what is wrong
	 * @param action how to fix it
	 * @param cause the underlying error
	 */
	public KvConfigurationException(String property, @Nullable Object value, @Nullable String origin, String problem,
			String action, @Nullable Throwable cause) {
		super(property + ": " + problem, cause);
		this.property = property;
		this.value = (value != null) ? value.toString() : null;
		this.origin = origin;
		this.problem = problem;
		this.action = action;
	}

	/**
	 * The property at fault.
	 * @return the property, such as {@code kv.stores.sessions.min-ttl}
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * The value as written.
	 * @return the value, or {@code null} when none applies (such as a missing connection
	 * factory)
	 */
	public @Nullable String getValue() {
		return this.value;
	}

	/**
	 * What is wrong, without the property name.
	 * @return the problem
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * Where the value came from.
	 * @return the origin, such as {@code class path resource [application.yml] - 4:18},
	 * or {@code null} when unknown
	 */
	public @Nullable String getOrigin() {
		return this.origin;
	}

	/**
	 * How to fix it.
	 * @return the action, as Spring Boot's failure report shows it
	 */
	public String getAction() {
		return this.action;
	}

}
