package io.kvstore.sample.cleanup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.kvstore.KvKey;
import io.kvstore.KvListOptions;
import io.kvstore.KvListResult;
import io.kvstore.KvNamespace;
import io.kvstore.sample.SampleProperties;
import io.kvstore.sample.session.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Removes sessions that have ended. It lists the {@code sessions} store by the prefix
 * {@code session:}, page by page with the cursor ({@code sample.cleanup.page-size} keys a
 * page), and deletes each key whose end has passed: its KV {@code expiration}, or the
 * {@code expiresAt} (epoch seconds) the session keeps in its metadata. Listing returns
 * metadata without reading values, so a run reads no session bodies.
 * <p>
 * Redis removes an entry by itself when its KV expiration passes, so this job finds the
 * sessions whose own end passed while their entry lives on: written with a longer or no
 * expiration (by an import, an older version of the app, or the KV REST API).
 * <p>
 * It runs every {@code sample.cleanup.interval} (10 minutes by default) when
 * {@code sample.cleanup.enabled} is true, and on {@code POST /admin/cleanup}.
 */
@Service
public class SessionCleanup {

	private static final Log log = LogFactory.getLog(SessionCleanup.class);

	private final KvNamespace sessions;

	private final int pageSize;

	public SessionCleanup(KvNamespace sessions, SampleProperties properties) {
		this.sessions = sessions;
		this.pageSize = properties.cleanup().pageSize();
	}

	/**
	 * Lists every session and deletes those that ended.
	 * @return how many sessions were seen and removed
	 */
	public CleanupReport run() {
		long now = Instant.now().getEpochSecond();
		int seen = 0;
		int removed = 0;
		KvListOptions options = KvListOptions.builder().prefix(Session.KEY_PREFIX).limit(this.pageSize).build();
		KvListResult page;
		do {
			page = this.sessions.list(options);
			List<String> ended = new ArrayList<>();
			for (KvKey key : page.keys()) {
				seen++;
				if (ended(key, now)) {
					ended.add(key.name());
				}
			}
			// One bulk delete per page.
			this.sessions.delete(ended);
			removed += ended.size();
			options = options.withCursor(page.cursor());
		}
		while (!page.listComplete());
		return new CleanupReport(seen, removed);
	}

	@Scheduled(fixedDelayString = "${sample.cleanup.interval:10m}",
			initialDelayString = "${sample.cleanup.interval:10m}")
	void scheduledRun() {
		try {
			CleanupReport report = run();
			if (report.removed() > 0) {
				log.info("Session cleanup: saw " + report.seen() + " sessions, removed " + report.removed());
			}
		}
		catch (DataAccessException ex) {
			log.warn("Session cleanup skipped, Redis is unavailable: " + ex.getMessage());
		}
	}

	static boolean ended(KvKey key, long nowEpochSeconds) {
		if (key.expiration() != null && key.expiration() <= nowEpochSeconds) {
			return true;
		}
		JsonNode expiresAt = (key.metadata() != null) ? key.metadata().get("expiresAt") : null;
		return expiresAt != null && expiresAt.isNumber() && expiresAt.longValue() <= nowEpochSeconds;
	}

	/**
	 * What one cleanup run did.
	 *
	 * @param seen the sessions listed
	 * @param removed the sessions deleted because they had ended
	 */
	public record CleanupReport(int seen, int removed) {
	}

}
