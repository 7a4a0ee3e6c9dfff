package io.kvstore.sample.web;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kvstore.KvSerializationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns exceptions into RFC 9457 problem details ({@code application/problem+json}).
 * <ul>
 * <li>{@link IllegalArgumentException} (the KV API's answer to bad input): 400, with a
 * {@code field} property naming the argument quoted at the start of the message;</li>
 * <li>{@link KvSerializationException} (a stored value is not the JSON asked for): 422,
 * with a {@code key} property;</li>
 * <li>{@link DataAccessException} (Redis unreachable or failing): 503;</li>
 * <li>{@link org.springframework.web.ErrorResponseException}s such as
 * {@link NotFoundException}: their own status; Spring MVC's own exceptions (a parameter
 * of the wrong type, a missing header): 400, with {@code field} where a name is
 * known.</li>
 * </ul>
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ApiExceptionHandler.class);

	/**
	 * {@code 'key' must not be empty}: the KV API names the argument first, in quotes.
	 */
	private static final Pattern QUOTED_ARGUMENT = Pattern.compile("^'([^']+)'");

	@ExceptionHandler
	ProblemDetail badInput(IllegalArgumentException ex, NativeWebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		String field = fieldOf(ex.getMessage());
		if (field != null) {
			problem.setProperty("field", requestName(field, request));
		}
		return problem;
	}

	@ExceptionHandler
	ProblemDetail notJson(KvSerializationException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
		problem.setProperty("key", ex.getKey());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail redisUnavailable(DataAccessException ex) {
		log.warn("Redis is unavailable: " + ex);
		return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"Redis is unreachable or failing; try again later (" + ex.getClass().getSimpleName() + ")");
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		return withField(super.handleTypeMismatch(ex, headers, status, request), ex.getPropertyName());
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
			MissingServletRequestParameterException ex, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		return withField(super.handleMissingServletRequestParameter(ex, headers, status, request),
				ex.getParameterName());
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleServletRequestBindingException(ServletRequestBindingException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ResponseEntity<Object> response = super.handleServletRequestBindingException(ex, headers, status, request);
		return (ex instanceof MissingRequestHeaderException missing) ? withField(response, missing.getHeaderName())
				: response;
	}

	private static @Nullable ResponseEntity<Object> withField(@Nullable ResponseEntity<Object> response,
			@Nullable String field) {
		if (response != null && field != null && response.getBody() instanceof ProblemDetail problem) {
			problem.setProperty("field", field);
		}
		return response;
	}

	static @Nullable String fieldOf(@Nullable String message) {
		if (message == null) {
			return null;
		}
		Matcher matcher = QUOTED_ARGUMENT.matcher(message);
		return matcher.find() ? matcher.group(1) : null;
	}

	/**
	 * The name the client used for an argument: the Java name {@code expirationTtl} is
	 * the query parameter {@code expiration_ttl} of the KV REST API.
	 */
	private static String requestName(String field, NativeWebRequest request) {
		String snakeCase = field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
		return (!snakeCase.equals(field) && request.getParameter(snakeCase) != null) ? snakeCase : field;
	}

}
