package io.kvstore.sample;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Instant;
import java.util.Random;

import io.kvstore.KvNamespace;
import io.kvstore.KvValue;
import io.kvstore.sample.TestHttp.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code PUT /files/{name}} and {@code GET /files/{name}} (the memory bound is checked by
 * {@link FileStreamingMemoryTest}).
 */
class FileTest extends SampleAppTestSupport {

	private static final byte[] PICTURE = new byte[3 * 1024 * 1024 + 17]; // several 1 MiB
																			// chunks

	static {
		new Random(42).nextBytes(PICTURE);
	}

	@Autowired
	KvNamespace files;

	@Test
	void uploadStoresTheBodyWithContentTypeSizeAndUploadTime() {
		long before = Instant.now().getEpochSecond();
		Response response = this.http.put("/files/cat.png", PICTURE, "Content-Type", "image/png");
		long after = Instant.now().getEpochSecond();
		assertThat(response.status()).isEqualTo(201);
		assertThat(response.header("Location")).isEqualTo("/files/cat.png");
		JsonNode body = response.json();
		assertThat(body.get("contentType").stringValue()).isEqualTo("image/png");
		assertThat(body.get("size").longValue()).isEqualTo(PICTURE.length);

		KvValue<byte[]> stored = this.files.getWithMetadata("cat.png", io.kvstore.KvType.BYTES);
		assertThat(stored.value()).isEqualTo(PICTURE);
		assertThat(stored.metadata()).isEqualTo(body);
		assertThat(Instant.parse(stored.metadata().get("uploadedAt").stringValue()).getEpochSecond()).isBetween(before,
				after);
	}

	@Test
	void downloadStreamsTheFileBackWithItsContentTypeAndLength() {
		assertThat(this.http.put("/files/cat.png", PICTURE, "Content-Type", "image/png").status()).isEqualTo(201);
		Response download = this.http.get("/files/cat.png");
		assertThat(download.status()).isEqualTo(200);
		assertThat(download.contentType()).isEqualTo("image/png");
		assertThat(download.header("Content-Length")).isEqualTo(Integer.toString(PICTURE.length));
		assertThat(download.bytes()).isEqualTo(PICTURE);
	}

	@Test
	void anUploadWithoutContentTypeIsStoredAsOctetStreamAndReplacesThePreviousFile() {
		this.http.put("/files/notes", "first version", "Content-Type", "text/plain");
		Response response = this.http.put("/files/notes", BodyPublishers.ofByteArray(new byte[] { 1, 2, 3 }));
		assertThat(response.status()).isEqualTo(201);
		Response download = this.http.get("/files/notes");
		assertThat(download.contentType()).isEqualTo("application/octet-stream");
		assertThat(download.bytes()).containsExactly(1, 2, 3);
	}

	@Test
	void downloadOfAMissingFileIs404() {
		JsonNode problem = this.http.get("/files/missing.txt").assertProblem(404, null);
		assertThat(problem.get("detail").stringValue()).isEqualTo("No file named 'missing.txt'");
	}

	@Test
	void uploadWithoutContentLengthIs411AndStoresNothing() {
		// A body published from a stream goes out chunked, without a Content-Length.
		Response response = this.http.put("/files/chunked.bin",
				BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[] { 1, 2, 3 })));
		response.assertProblem(411, "Content-Length");
		assertThat(this.files.get("chunked.bin")).isNull();
	}

}
