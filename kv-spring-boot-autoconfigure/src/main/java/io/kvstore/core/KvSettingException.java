package io.kvstore.core;

/**
 * A store setting out of its range: names the setting (as the Java name of the
 * {@link KvStoreSettings} component, such as {@code minTtl}), its limit and the value
 * given. The auto-configuration turns it into a start-up failure that names the property
 * and where its value came from.
 */
public class KvSettingException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	/** The name of the {@link KvStoreSettings} component at fault. */
	private final String setting;

	KvSettingException(String setting, String message) {
		super(message);
		this.setting = setting;
	}

	/**
	 * What is wrong with the setting.
	 * @return the message, never {@code null}
	 */
	@Override
	public String getMessage() {
		String message = super.getMessage();
		return (message != null) ? message : "invalid " + this.setting;
	}

	/**
	 * The setting at fault.
	 * @return the name of the {@link KvStoreSettings} component, such as
	 * {@code maxValueSize}
	 */
	public String setting() {
		return this.setting;
	}

}
