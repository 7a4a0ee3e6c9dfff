package io.kvstore.redis;

/**
 * Whether puts of small values use {@code RESTORE} ({@code kv.redis.restore}).
 */
public enum RestoreMode {

	/**
	 * Puts of values up to 16 KiB are one {@code RESTORE} each; should Redis refuse it
	 * (an ACL without {@code @dangerous} or {@code +restore}, the command renamed away, a
	 * server that does not read the payload), the refusal is logged once and puts use
	 * scripts from then on.
	 */
	AUTO,

	/**
	 * Puts never use {@code RESTORE}: values up to 1 KiB go to a script, larger ones are
	 * staged with {@code HSET} and renamed into place by a script. For a Redis whose
	 * policy forbids {@code RESTORE}; costs Redis more time per put.
	 */
	NEVER

}
