package io.kvstore.core;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the observations of store operations {@code kv.operations} with the
 * low-cardinality keys {@code store}, {@code operation}, {@code outcome} ({@code success}
 * or {@code error}) and {@code result} ({@code hit} or {@code miss} for reads,
 * {@code none} otherwise), so that every timer of the name has the same tags.
 */
public class KvObservationConvention implements ObservationConvention<KvObservationContext> {

	/** The name of the observations, and so of the timer that metrics make of them. */
	public static final String NAME = "kv.operations";

	/** The convention used unless another one is given. */
	public static final KvObservationConvention DEFAULT = new KvObservationConvention();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(KvObservationContext context) {
		return KeyValues.of("store", context.getStore(), "operation", context.getOperation(), "outcome",
				context.getOutcome(), "result", context.getResult());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(KvObservationContext context) {
		return KeyValues.of("keys", Integer.toString(context.getKeyCount()));
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof KvObservationContext;
	}

}
