package io.kvstore.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * The connection of a {@link KvRedisConnection}, opened on first use (an unreachable Redis
 * does not fail start-up) and again after the factory closed its shared connection.
 */
final class LazyConnection implements AutoCloseable {

	// Opens connections, off the callers' threads (see open()).
	private static final Executor CONNECTING = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "kv-redis-connect");
		thread.setDaemon(true);
		return thread;
	});

	private final Supplier<OpenedConnection> opener;

	private final String address;

	private final Object lock = new Object();

	private volatile @Nullable OpenedConnection opened;

	private volatile boolean closed;

	LazyConnection(Supplier<OpenedConnection> opener, String address) {
		this.opener = opener;
		this.address = address;
	}

	/**
	 * The open connection: opened on first use, and again after the factory closed its
	 * shared connection (a reset).
	 */
	OpenedConnection get() {
		OpenedConnection current = this.opened;
		if (current != null && !current.isClosed()) {
			return current;
		}
		synchronized (this.lock) {
			if (this.closed) {
				throw new IllegalStateException("The KV Redis connection has been closed");
			}
			current = this.opened;
			if (current == null || current.isClosed()) {
				// First use, or the factory closed its shared connection (a reset): open again.
				current = open();
				this.opened = current;
			}
			return current;
		}
	}

	/** Whether {@link #close()} was called. */
	boolean isClosed() {
		return this.closed;
	}

	/** The connection if it is open, without opening it. */
	@Nullable OpenedConnection current() {
		return this.opened;
	}

	// Opens on a thread of its own (within Lettuce's connect timeout), so that a caller
	// interrupted while it waits leaves nothing open behind: a connection that completes
	// after its caller gave up is closed at once.
	private OpenedConnection open() {
		CompletableFuture<OpenedConnection> opening = CompletableFuture.supplyAsync(this.opener, CONNECTING);
		try {
			return opening.get();
		}
		catch (InterruptedException ex) {
			opening.thenAccept((late) -> OpenedConnection.closeQuietly(late.owner()));
			Thread.currentThread().interrupt();
			throw new RedisConnectionFailureException("Interrupted while connecting to Redis (" + this.address
					+ "); the connection is closed should it still open", ex);
		}
		catch (ExecutionException ex) {
			throw RedisErrors.translate(ex);
		}
	}

	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
			OpenedConnection current = this.opened;
			this.opened = null;
			if (current != null) {
				OpenedConnection.closeQuietly(current.owner());
			}
		}
	}

}
