package io.kvstore.redis;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisNoScriptException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;

/**
 * What the errors of Redis and Lettuce mean, for {@link KvRedisConnection}: the one
 * translation to Spring's {@link DataAccessException} hierarchy (as Spring Data Redis
 * translates Lettuce's errors), and the tests of the errors that the connection handles
 * itself (an unknown script, a cluster resharding, a refused {@code RESTORE}).
 */
final class RedisErrors {

	private static final LettuceExceptionConverter EXCEPTION_CONVERTER = new LettuceExceptionConverter();

	private RedisErrors() {
	}

	static DataAccessException translate(Throwable failure) {
		Throwable ex = unwrap(failure);
		if (ex instanceof DataAccessException dataAccess) {
			return dataAccess;
		}
		if (ex instanceof Exception exception) {
			DataAccessException translated = EXCEPTION_CONVERTER.convert(exception);
			if (translated != null) {
				return withReason(translated, ex);
			}
		}
		return new RedisSystemException("Redis command failed: " + rootMessage(ex), ex);
	}

	// Spring Data Redis says "Error in execution" for every error reply: say Redis'
	// reason (OOM, READONLY, NOPERM, ...) in the message itself, as a caller reads it
	// first.
	private static DataAccessException withReason(DataAccessException translated, Throwable ex) {
		String reason = rootMessage(ex);
		String message = translated.getMessage();
		if (translated.getClass() != RedisSystemException.class || (message != null && message.contains(reason))) {
			return translated;
		}
		return new RedisSystemException("Redis refused the command: " + reason, ex);
	}

	static Throwable unwrap(Throwable ex) {
		Throwable cause = ex;
		while ((cause instanceof ExecutionException || cause instanceof CompletionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	// Redis does not know the script (NOSCRIPT): send its source.
	static boolean isNoScript(Throwable ex) {
		return anyCause(ex, RedisNoScriptException.class::isInstance);
	}

	// While a Redis Cluster moves a slot, a script whose keys are split between the two
	// nodes is refused (TRYAGAIN, or a key that is no longer local).
	static boolean isResharding(Throwable ex) {
		return anyCause(ex, (cause) -> cause.getMessage() != null
				&& (cause.getMessage().startsWith("TRYAGAIN") || cause.getMessage().contains("non local key")));
	}

	// Whether the exception or any of its causes passes the test.
	static boolean anyCause(Throwable ex, Predicate<Throwable> test) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (test.test(cause)) {
				return true;
			}
		}
		return false;
	}

	// "ERR unknown command 'PEXPIRETIME', with args beginning with: ...": a command this
	// Redis does not have.
	static boolean isUnknownCommand(Throwable ex, String command) {
		return anyCause(ex,
				(cause) -> cause.getMessage() != null
						&& cause.getMessage().toLowerCase(java.util.Locale.ROOT).startsWith("err unknown command")
						&& cause.getMessage().toLowerCase(java.util.Locale.ROOT).contains(command));
	}

	// "NOPERM ... no permissions to run the 'restore' command" (an ACL without RESTORE;
	// not a key the ACL denies, which a script would meet as well), "ERR unknown command
	// 'RESTORE'" (renamed away, as some managed services do), or a payload this server
	// does not read (a Redis-compatible server with another serialization).
	static boolean refusesRestore(Throwable ex) {
		String message = ex.getMessage();
		if (message == null) {
			return false;
		}
		String lower = message.toLowerCase(java.util.Locale.ROOT);
		return (lower.startsWith("noperm") && lower.contains("'restore'"))
				|| (lower.startsWith("err unknown command") && lower.contains("restore"))
				|| lower.contains("payload version or checksum are wrong") || lower.startsWith("err bad data format");
	}

	// Say why in the message itself (a refused connection, a wrong password, TLS): the
	// translated exception alone reads "Unable to connect to Redis".
	static DataAccessException connectionFailure(RuntimeException ex) {
		return new RedisConnectionFailureException("Cannot connect to Redis: " + rootMessage(ex), ex);
	}

	// A call that timed out; while the connection is down, with why it could not
	// reconnect (a password changed at run time reads WRONGPASS here, not only "timed
	// out").
	static DataAccessException timedOut(Duration timeout, @Nullable String reconnectFailure) {
		if (reconnectFailure == null) {
			return translate(new RedisCommandTimeoutException("Command timed out after " + timeout));
		}
		return new RedisConnectionFailureException(
				"Command timed out after " + timeout + " while the connection to Redis is down: " + reconnectFailure,
				new RedisCommandTimeoutException("Command timed out after " + timeout));
	}

	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return (message != null && !message.isBlank()) ? message : root.getClass().getSimpleName();
	}

}
