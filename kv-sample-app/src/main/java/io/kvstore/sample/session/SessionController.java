package io.kvstore.sample.session;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvSerializationException;
import io.kvstore.KvType;
import io.kvstore.sample.SampleProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Session management: {@code POST /login} with {@code {"userId":"42"}} creates a session
 * and returns its id; {@code GET /me} with the id in the {@value #SESSION_HEADER} header
 * greets the user (401 when the session is missing or expired); {@code POST /logout}
 * deletes it.
 */
@RestController
public class SessionController {

	/** The request header that carries the session id. */
	public static final String SESSION_HEADER = "X-Session-Id";

	private static final int MAX_USER_ID_LENGTH = 64;

	private final KvNamespace sessions;

	private final SampleProperties properties;

	public SessionController(KvNamespace sessions, SampleProperties properties) {
		this.sessions = sessions;
		this.properties = properties;
	}

	@PostMapping("/login")
	LoginResponse login(@RequestBody LoginRequest request) {
		String userId = request.userId();
		if (userId == null || userId.isBlank()) {
			throw new IllegalArgumentException("'userId' must not be blank");
		}
		if (userId.length() > MAX_USER_ID_LENGTH) {
			throw new IllegalArgumentException(
					"'userId' must be at most " + MAX_USER_ID_LENGTH + " characters, was " + userId.length());
		}
		String id = UUID.randomUUID().toString();
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		Instant expiresAt = now.plus(this.properties.sessionTtl());
		this.sessions.putJson(Session.key(id), new Session(userId, now, expiresAt),
				KvPutOptions.builder()
					.expirationTtl(this.properties.sessionTtl())
					.metadata(Map.of("userId", userId, "expiresAt", expiresAt.getEpochSecond()))
					.build());
		return new LoginResponse(id, userId, expiresAt);
	}

	@GetMapping("/me")
	ResponseEntity<String> me(@RequestHeader(name = SESSION_HEADER, required = false) @Nullable String sessionId) {
		Session session = find(sessionId);
		if (session == null) {
			throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "Session not found");
		}
		return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("Welcome user " + session.userId());
	}

	@PostMapping("/logout")
	ResponseEntity<Void> logout(@RequestHeader(name = SESSION_HEADER, required = false) @Nullable String sessionId) {
		if (isSessionId(sessionId)) {
			this.sessions.delete(Session.key(sessionId));
		}
		return ResponseEntity.noContent().build();
	}

	private @Nullable Session find(@Nullable String sessionId) {
		if (!isSessionId(sessionId)) {
			return null;
		}
		Session session;
		try {
			session = this.sessions.get(Session.key(sessionId), KvType.json(Session.class));
		}
		catch (KvSerializationException ex) {
			return null; // not a session this app wrote
		}
		if (session == null || (session.expiresAt() != null && !session.expiresAt().isAfter(Instant.now()))) {
			return null; // Redis expired it, or it outlived its own end and awaits the
							// cleanup job
		}
		return session;
	}

	// Ids are UUIDs: anything else cannot name a session (and cannot make an oversized
	// key).
	private static boolean isSessionId(@Nullable String sessionId) {
		if (sessionId == null || sessionId.length() != 36) {
			return false;
		}
		try {
			return UUID.fromString(sessionId).toString().equals(sessionId);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * The body of {@code POST /login}.
	 *
	 * @param userId who logs in
	 */
	record LoginRequest(@Nullable String userId) {
	}

	/**
	 * The answer to {@code POST /login}.
	 *
	 * @param sessionId send it back in the {@value SessionController#SESSION_HEADER}
	 * header
	 * @param userId who logged in
	 * @param expiresAt when the session ends
	 */
	record LoginResponse(String sessionId, String userId, Instant expiresAt) {
	}

}
