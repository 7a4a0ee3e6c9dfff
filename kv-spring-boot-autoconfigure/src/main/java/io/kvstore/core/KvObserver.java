package io.kvstore.core;

import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes the operations of one store as {@code kv.operations} (a timer with metrics, a
 * span with tracing). Without an observation registry an operation runs as it is, at no
 * cost.
 */
final class KvObserver {

	private final String store;

	private final ObservationRegistry registry;

	KvObserver(String store, ObservationRegistry registry) {
		this.store = store;
		this.registry = registry;
	}

	<T> T observe(String operation, Function<KvObservationContext, T> action) {
		KvObservationContext context = new KvObservationContext(this.store, operation);
		if (this.registry.isNoop()) {
			return action.apply(context);
		}
		Observation observation = Observation
			.createNotStarted(null, KvObservationConvention.DEFAULT, () -> context, this.registry)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			return action.apply(context);
		}
		catch (RuntimeException | Error ex) {
			context.failed();
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

}
