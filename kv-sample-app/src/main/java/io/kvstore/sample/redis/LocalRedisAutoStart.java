package io.kvstore.sample.redis;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lets a newcomer run the app with nothing installed but Java: before the application
 * context starts, when no Redis answers {@code PING} at
 * {@code spring.data.redis.host}:{@code port} (default {@code localhost:6379}) and that
 * address is a loopback one, it starts a {@link LocalRedisServer} on a free port, points
 * {@code spring.data.redis.*} at it, logs that it did, and stops it when the application
 * stops.
 * <p>
 * It does nothing when {@code sample.redis.auto-start} is false, when a Redis answers,
 * when the configured host is not this machine (a remote Redis is used as configured,
 * even while it is down), or when {@code spring.data.redis.url}, {@code .cluster.nodes}
 * or {@code .sentinel.master} is set.
 */
public class LocalRedisAutoStart implements EnvironmentPostProcessor, Ordered {

	/** The property that switches this off. */
	public static final String AUTO_START_PROPERTY = "sample.redis.auto-start";

	private static final Duration PING_TIMEOUT = Duration.ofMillis(500);

	private final Log log;

	public LocalRedisAutoStart(DeferredLogFactory logFactory) {
		this.log = logFactory.getLog(LocalRedisAutoStart.class);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE; // after application.yml, the command line and
											// the rest are read
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty(AUTO_START_PROPERTY, Boolean.class, true)) {
			return;
		}
		for (String other : new String[] { "spring.data.redis.url", "spring.data.redis.cluster.nodes",
				"spring.data.redis.sentinel.master" }) {
			if (environment.containsProperty(other)) {
				return;
			}
		}
		String host = environment.getProperty("spring.data.redis.host", "localhost");
		int port = environment.getProperty("spring.data.redis.port", Integer.class, 6379);
		if (!isLoopback(host) || LocalRedisServer.answersPing(host, port, PING_TIMEOUT)) {
			return;
		}
		LocalRedisServer server = LocalRedisServer.start(LocalRedisServer.findExecutable(System.getenv("PATH")));
		environment.getPropertySources()
			.addFirst(new MapPropertySource("sampleLocalRedisServer",
					Map.of("spring.data.redis.host", "127.0.0.1", "spring.data.redis.port", server.port())));
		this.log.info("No Redis at " + host + ":" + port + "; started a local redis-server on port " + server.port()
				+ " (" + server.executable() + "); it stops with the application");
		// Stopped last when the context closes (after Lettuce disconnects), or when
		// start-up fails.
		application.addInitializers((context) -> {
			if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
				registry.registerDisposableBean("sampleLocalRedisServer", server::stop);
			}
		});
		application.addListeners(new StopOnFailure(server));
	}

	private static boolean isLoopback(String host) {
		try {
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * Stops the server when the application fails to start.
	 */
	private record StopOnFailure(LocalRedisServer server) implements ApplicationListener<ApplicationFailedEvent> {

		@Override
		public void onApplicationEvent(ApplicationFailedEvent event) {
			this.server.stop();
		}

	}

}
