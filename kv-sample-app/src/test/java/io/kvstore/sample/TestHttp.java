package io.kvstore.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real HTTP requests to the app on its port, with the JDK's client.
 */
final class TestHttp {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	TestHttp(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	Response get(String path, String... headers) {
		return send(request(path, headers).GET());
	}

	Response post(String path, String json, String... headers) {
		return send(
				request(path, headers).header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)));
	}

	Response post(String path) {
		return send(request(path).POST(BodyPublishers.noBody()));
	}

	Response put(String path, String body, String... headers) {
		return put(path, BodyPublishers.ofString(body), headers);
	}

	Response put(String path, byte[] body, String... headers) {
		return put(path, BodyPublishers.ofByteArray(body), headers);
	}

	Response put(String path, BodyPublisher body, String... headers) {
		return send(request(path, headers).PUT(body));
	}

	Response delete(String path) {
		return send(request(path).DELETE());
	}

	HttpRequest.Builder request(String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30));
		return (headers.length > 0) ? builder.headers(headers) : builder;
	}

	Response send(HttpRequest.Builder request) {
		try {
			var response = this.client.send(request.build(), BodyHandlers.ofByteArray());
			return new Response(response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	HttpClient client() {
		return this.client;
	}

	/**
	 * A response, read whole.
	 */
	record Response(int status, HttpHeaders headers, byte[] bytes) {

		String body() {
			return new String(this.bytes, StandardCharsets.UTF_8);
		}

		JsonNode json() {
			return JSON.readTree(this.bytes);
		}

		String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

		String contentType() {
			return header("Content-Type");
		}

		/**
		 * Asserts an RFC 9457 problem detail with this status and, when not null, this
		 * {@code field}.
		 */
		JsonNode assertProblem(int status, String field) {
			assertThat(this.status).as(body()).isEqualTo(status);
			assertThat(contentType()).isEqualTo("application/problem+json");
			JsonNode problem = json();
			assertThat(problem.get("status").intValue()).isEqualTo(status);
			assertThat(problem.get("title").stringValue()).isNotBlank();
			assertThat(problem.get("detail").stringValue()).isNotBlank();
			if (field != null) {
				assertThat(problem.path("field").stringValue()).as(body()).isEqualTo(field);
			}
			return problem;
		}

	}

}
