package io.kvstore.sample.session;

import java.time.Instant;

/**
 * A login session, stored as JSON under {@code session:<id>} in the {@code sessions}
 * store.
 *
 * @param userId who logged in
 * @param createdAt when
 * @param expiresAt when the session ends; also in the entry's metadata (as epoch seconds)
 * so the cleanup job sees it without reading values
 */
public record Session(String userId, Instant createdAt, Instant expiresAt) {

	/** The start of every session key. */
	public static final String KEY_PREFIX = "session:";

	/**
	 * The key of a session in the {@code sessions} store.
	 * @param id the session id
	 * @return {@code session:<id>}
	 */
	public static String key(String id) {
		return KEY_PREFIX + id;
	}

}
