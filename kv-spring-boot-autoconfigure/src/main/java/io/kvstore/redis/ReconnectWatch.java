package io.kvstore.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/**
 * Why Lettuce could not reconnect, for the calls that time out meanwhile. While a dropped
 * connection reconnects, Lettuce queues the calls and they end as "command timed out";
 * the reason the reconnects fail (a password changed at run time, a user removed, TLS, a
 * refused port) is only in Lettuce's events. This listens to the client's event bus and
 * keeps the last failed reconnect until a connection activates again. The bus is the
 * client's, so a failure of another connection of the same client counts too: it reached
 * the same Redis with the same settings.
 */
final class ReconnectWatch implements AutoCloseable {

	private final Disposable subscription;

	private volatile @Nullable String lastFailure;

	ReconnectWatch(AbstractRedisClient client) {
		this.subscription = client.getResources().eventBus().get().subscribe((event) -> {
			if (event instanceof ReconnectFailedEvent failed) {
				this.lastFailure = "reconnecting to " + failed.remoteAddress() + " failed (attempt "
						+ (failed.getAttempt() + 1) + "): " + RedisErrors.rootMessage(failed.getCause());
			}
			else if (event instanceof ConnectionActivatedEvent) {
				this.lastFailure = null;
			}
		});
	}

	/**
	 * The last failed reconnect since a connection last activated.
	 * @return what it said, or {@code null} when the connections are up or no reconnect
	 * failed
	 */
	@Nullable String lastFailure() {
		return this.lastFailure;
	}

	@Override
	public void close() {
		this.subscription.dispose();
	}

}
