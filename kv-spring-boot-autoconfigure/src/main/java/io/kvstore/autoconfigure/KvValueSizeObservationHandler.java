package io.kvstore.autoconfigure;

import io.kvstore.core.KvObservationContext;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Records the size of every value a store writes or reads in the distribution summary
 * {@code kv.value.size} (bytes, tagged {@code store} and {@code operation}).
 */
class KvValueSizeObservationHandler implements ObservationHandler<KvObservationContext> {

	/** The name of the distribution summary. */
	static final String METER_NAME = "kv.value.size";

	private final ObjectProvider<MeterRegistry> meterRegistry;

	KvValueSizeObservationHandler(ObjectProvider<MeterRegistry> meterRegistry) {
		this.meterRegistry = meterRegistry;
	}

	@Override
	public void onStop(KvObservationContext context) {
		MeterRegistry registry = this.meterRegistry.getIfAvailable();
		if (registry != null && context.getValueSize() >= 0) {
			DistributionSummary.builder(METER_NAME)
				.description("Sizes of the values KV stores write and read")
				.baseUnit("bytes")
				.tag("store", context.getStore())
				.tag("operation", context.getOperation())
				.register(registry)
				.record(context.getValueSize());
		}
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof KvObservationContext;
	}

}
