package io.kvstore.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class its own real Redis ({@link RedisServer}), injected into test
 * constructors and methods and into {@code @BeforeAll} / {@code @BeforeEach} methods, and
 * stopped after the class.
 */
public final class RedisExtension implements BeforeAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		server(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == RedisServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return server(extensionContext);
	}

	// Stores are hierarchical: the server started for the class is found from its
	// methods.
	private static RedisServer server(ExtensionContext context) {
		RedisServer server = context.getStore(NAMESPACE).get("server", RedisServer.class);
		return (server != null) ? server : context.getStore(NAMESPACE)
			.computeIfAbsent("server", (key) -> RedisServer.start(), RedisServer.class);
	}

}
