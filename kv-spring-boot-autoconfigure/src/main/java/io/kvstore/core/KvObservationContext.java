package io.kvstore.core;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an observation of one store operation knows: the store, the operation, its
 * outcome, for reads whether the key was found, and the size of the value written or
 * read.
 */
public class KvObservationContext extends Observation.Context {

	/** The {@code outcome} of an operation that returned normally. */
	public static final String SUCCESS = "success";

	/** The {@code outcome} of an operation that threw. */
	public static final String ERROR = "error";

	/** The {@code result} of a read that found its key. */
	public static final String HIT = "hit";

	/** The {@code result} of a read that did not find its key. */
	public static final String MISS = "miss";

	/** The {@code result} of an operation that is not a read. */
	public static final String NONE = "none";

	private final String store;

	private final String operation;

	private String outcome = SUCCESS;

	private String result = NONE;

	private long valueSize = -1;

	private int keyCount = 1;

	KvObservationContext(String store, String operation) {
		this.store = store;
		this.operation = operation;
	}

	/**
	 * The store observed.
	 * @return the store name
	 */
	public String getStore() {
		return this.store;
	}

	/**
	 * The operation observed.
	 * @return {@code put}, {@code get}, {@code getWithMetadata}, {@code list},
	 * {@code delete}, {@code clear}, or a bulk {@code getAll},
	 * {@code getAllWithMetadata}, {@code deleteAll}
	 */
	public String getOperation() {
		return this.operation;
	}

	/**
	 * How the operation ended.
	 * @return {@link #SUCCESS} or {@link #ERROR}
	 */
	public String getOutcome() {
		return this.outcome;
	}

	/**
	 * What a read found.
	 * @return {@link #HIT} or {@link #MISS} for reads, {@link #NONE} otherwise
	 */
	public String getResult() {
		return this.result;
	}

	/**
	 * The size of the value written or read.
	 * @return the size in bytes; -1 when unknown or none
	 */
	public long getValueSize() {
		return this.valueSize;
	}

	/**
	 * How many keys the operation touched.
	 * @return 1 for a single-key operation, the distinct keys of a bulk one
	 */
	public int getKeyCount() {
		return this.keyCount;
	}

	void keyCount(int keyCount) {
		this.keyCount = keyCount;
	}

	void failed() {
		this.outcome = ERROR;
	}

	void found(boolean found) {
		this.result = found ? HIT : MISS;
	}

	void valueSize(long valueSize) {
		this.valueSize = valueSize;
	}

	@Override
	public @Nullable String getContextualName() {
		return "kv " + this.operation;
	}

}
