package io.kvstore.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings the sample app adds, under {@code sample.*}.
 *
 * @param sessionTtl How long a session lives after POST /login.
 * @param users The user cache.
 * @param cleanup The session cleanup job.
 * @param redis Starting a local Redis.
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("24h") Duration sessionTtl, @DefaultValue Users users,
		@DefaultValue Cleanup cleanup, @DefaultValue Redis redis) {

	/**
	 * The user cache.
	 *
	 * @param cacheTtl How long a user read from the database stays in the demo-cache
	 * store.
	 */
	public record Users(@DefaultValue("5m") Duration cacheTtl) {
	}

	/**
	 * The session cleanup job.
	 *
	 * @param enabled Whether the job runs on a schedule (POST /admin/cleanup always
	 * works).
	 * @param interval Time between the end of one scheduled run and the start of the
	 * next.
	 * @param pageSize How many keys one list call returns.
	 */
	public record Cleanup(@DefaultValue("true") boolean enabled, @DefaultValue("10m") Duration interval,
			@DefaultValue("100") int pageSize) {
	}

	/**
	 * Starting a local Redis; read before the application context exists, by
	 * {@link io.kvstore.sample.redis.LocalRedisAutoStart}.
	 *
	 * @param autoStart Whether to start a local redis-server when none answers at the
	 * configured address and that address is on this machine.
	 */
	public record Redis(@DefaultValue("true") boolean autoStart) {
	}

}
