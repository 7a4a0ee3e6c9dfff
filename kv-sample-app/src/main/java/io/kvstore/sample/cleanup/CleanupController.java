package io.kvstore.sample.cleanup;

import io.kvstore.sample.cleanup.SessionCleanup.CleanupReport;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /admin/cleanup} runs the session cleanup now and answers
 * {@code {"seen":N,"removed":M}}.
 */
@RestController
public class CleanupController {

	private final SessionCleanup cleanup;

	public CleanupController(SessionCleanup cleanup) {
		this.cleanup = cleanup;
	}

	@PostMapping("/admin/cleanup")
	CleanupReport cleanup() {
		return this.cleanup.run();
	}

}
