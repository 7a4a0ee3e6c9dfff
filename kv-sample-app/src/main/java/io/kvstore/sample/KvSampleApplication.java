package io.kvstore.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.annotation.EnableCaching;

/**
 * The sample application: a web service that uses the KV starter the way a customer
 * would.
 * <ul>
 * <li>{@code session}: log in, {@code /me}, log out, with sessions in the
 * {@code sessions} store;</li>
 * <li>{@code users}: a read-through cache in {@code demo-cache} in front of an H2
 * database, and the same as a {@code @Cacheable} service over the {@code user-cache}
 * store;</li>
 * <li>{@code cleanup}: a scheduled job that pages through the sessions with a
 * cursor;</li>
 * <li>{@code files}: uploads and downloads streamed through the {@code files} store;</li>
 * <li>{@code kvapi}: a REST API over every declared store;</li>
 * <li>{@code redis}: starts a local {@code redis-server} when none answers.</li>
 * </ul>
 */
@SpringBootApplication
@EnableCaching
@EnableConfigurationProperties(SampleProperties.class)
public class KvSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(KvSampleApplication.class, args);
	}

}
