package io.kvstore.sample.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A 404 problem detail: an unknown store, key, user or file.
 */
public class NotFoundException extends ErrorResponseException {

	private static final long serialVersionUID = 1L;

	public NotFoundException(String detail) {
		super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail), null);
	}

}
