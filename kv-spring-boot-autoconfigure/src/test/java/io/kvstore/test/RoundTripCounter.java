package io.kvstore.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.protocol.DecoratedCommand;
import io.lettuce.core.protocol.RedisCommand;

/**
 * Counts the commands a client sends and the round trips they take, for one caller at a
 * time. A command starts a new round trip when every command sent before it has been
 * answered; a command sent while an earlier one is still on its way is pipelined with it.
 * <p>
 * Add it to a Lettuce client before the connection to count is opened (a listener sees
 * only the connections opened after it was added).
 */
public final class RoundTripCounter implements CommandListener {

	private final List<RedisCommand<?, ?, ?>> sent = new ArrayList<>();

	private int roundTrips;

	@Override
	public synchronized void commandStarted(CommandStartedEvent event) {
		if (this.sent.stream().allMatch(RoundTripCounter::isAnswered)) {
			this.roundTrips++;
		}
		this.sent.add(event.getCommand());
	}

	// Whether the caller has its answer: the future it waits on is complete. (A wrapper,
	// such as a cluster command, may call itself done only after it has completed that
	// future.)
	private static boolean isAnswered(RedisCommand<?, ?, ?> command) {
		RedisCommand<?, ?, ?> current = command;
		while (true) {
			if (current instanceof CompletableFuture<?> future) {
				return future.isDone();
			}
			if (!(current instanceof DecoratedCommand<?, ?, ?> decorated)) {
				return command.isDone();
			}
			current = decorated.getDelegate();
		}
	}

	/** Forgets what was counted so far. */
	public synchronized void reset() {
		this.sent.clear();
		this.roundTrips = 0;
	}

	/** The commands sent since the last reset, by name, in the order they were sent. */
	public synchronized List<String> commands() {
		return this.sent.stream().map((command) -> command.getType().toString()).toList();
	}

	/** The round trips since the last reset. */
	public synchronized int roundTrips() {
		return this.roundTrips;
	}

}
