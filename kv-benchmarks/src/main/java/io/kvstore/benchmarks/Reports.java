package io.kvstore.benchmarks;

import java.time.LocalDate;
import java.util.Locale;

/**
 * What every benchmark report shares: the line that says where and on what it ran, and
 * the format of its figures.
 */
final class Reports {

	private Reports() {
	}

	/**
	 * The opening of a report, "Run on (date), (cores) cores, Java (version), " followed
	 * by the given setting (for instance "Redis at host:port"), without a closing full
	 * stop.
	 * @param setting what the run measured against
	 * @return the opening
	 */
	static String runOn(String setting) {
		return "Run on " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
				+ System.getProperty("java.version") + ", " + setting;
	}

	static String format(Double value) {
		return (value != null) ? String.format(Locale.ROOT, "%.2f", value) : "n/a";
	}

}
