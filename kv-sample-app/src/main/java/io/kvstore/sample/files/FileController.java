package io.kvstore.sample.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.kvstore.sample.web.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Files streamed through the {@code files} store, never held in memory whole.
 * <p>
 * {@code PUT /files/{name}} passes the request body to
 * {@link KvNamespace#put(String, InputStream, KvPutOptions)}, with metadata
 * {@code {contentType, size, uploadedAt}}. A put writes value and metadata together, so
 * the size must be known before the body is read: the upload needs a
 * {@code Content-Length} (411 without one), and the body is checked against it as it
 * streams, so a short body fails the put and leaves the previous file intact.
 * <p>
 * {@code GET /files/{name}} reads the value as {@link KvType#STREAM} (1 MiB chunks) and
 * copies it to the response with the stored content type and length.
 */
@RestController
public class FileController {

	private final KvNamespace files;

	public FileController(KvNamespace files) {
		this.files = files;
	}

	@PutMapping("/files/{name}")
	ResponseEntity<FileMetadata> upload(@PathVariable String name, HttpServletRequest request) throws IOException {
		long size = request.getContentLengthLong();
		if (size < 0) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.LENGTH_REQUIRED,
					"An upload needs a Content-Length header: the size is stored with the file");
			problem.setProperty("field", HttpHeaders.CONTENT_LENGTH);
			throw new ErrorResponseException(HttpStatus.LENGTH_REQUIRED, problem, null);
		}
		String contentType = (request.getContentType() != null) ? request.getContentType()
				: MediaType.APPLICATION_OCTET_STREAM_VALUE;
		FileMetadata metadata = new FileMetadata(contentType, size, Instant.now().truncatedTo(ChronoUnit.SECONDS));
		this.files.put(name, new ExactLengthInputStream(request.getInputStream(), size),
				KvPutOptions.builder().metadata(metadata).build());
		return ResponseEntity.created(URI.create("/files/" + name)).body(metadata);
	}

	@GetMapping("/files/{name}")
	void download(@PathVariable String name, HttpServletResponse response) throws IOException {
		KvValue<InputStream> file = this.files.getWithMetadata(name, KvType.STREAM);
		if (file.value() == null) {
			throw new NotFoundException("No file named '" + name + "'");
		}
		try (InputStream body = file.value()) {
			JsonNode metadata = file.metadata();
			JsonNode contentType = (metadata != null) ? metadata.get("contentType") : null;
			JsonNode size = (metadata != null) ? metadata.get("size") : null;
			response.setContentType((contentType != null && contentType.isString()) ? contentType.stringValue()
					: MediaType.APPLICATION_OCTET_STREAM_VALUE);
			if (size != null && size.canConvertToLong()) {
				response.setContentLengthLong(size.longValue());
			}
			body.transferTo(response.getOutputStream());
		}
	}

	/**
	 * The metadata stored with a file, and the answer to an upload.
	 *
	 * @param contentType the upload's {@code Content-Type}
	 * @param size the length in bytes
	 * @param uploadedAt when it was uploaded
	 */
	record FileMetadata(String contentType, long size, Instant uploadedAt) {
	}

	/**
	 * Passes a body through, failing at its end when it was shorter than announced.
	 */
	static final class ExactLengthInputStream extends FilterInputStream {

		private final long expected;

		private long count;

		ExactLengthInputStream(InputStream in, long expected) {
			super(in);
			this.expected = expected;
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			return counted((b < 0) ? -1 : 1, b);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = super.read(buffer, offset, length);
			return counted(n, n);
		}

		private int counted(int bytes, int result) throws IOException {
			if (bytes < 0) {
				if (this.count != this.expected) {
					throw new IOException("The body ended after " + this.count + " of its " + this.expected + " bytes");
				}
				return result;
			}
			this.count += bytes;
			return result;
		}

		@Override
		public long skip(long n) throws IOException {
			throw new IOException("skip is not supported");
		}

		@Override
		public boolean markSupported() {
			return false;
		}

	}

}
