package io.kvstore.core;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream being put: passes on the caller's bytes and refuses the stream with
 * {@link KvChecks#valueSize}'s {@link IllegalArgumentException} as soon as it passes the
 * store's value limit. It reads one byte past the limit at most, no further.
 */
final class LimitedInputStream extends FilterInputStream {

	private final KvChecks checks;

	private final long limit;

	private long count;

	LimitedInputStream(InputStream in, KvChecks checks) {
		super(in);
		this.checks = checks;
		this.limit = checks.settings().maxValueSize();
	}

	@Override
	public int read() throws IOException {
		if (this.count > this.limit) {
			return -1;
		}
		int b = this.in.read();
		if (b != -1) {
			counted(1);
		}
		return b;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		if (this.count > this.limit) {
			return -1;
		}
		int n = this.in.read(buffer, offset, (int) Math.min(length, this.limit + 1 - this.count));
		if (n > 0) {
			counted(n);
		}
		return n;
	}

	private void counted(int n) {
		this.count += n;
		this.checks.valueSize(this.count);
	}

	@Override
	public long skip(long n) {
		throw new UnsupportedOperationException();
	}

	@Override
	public int available() {
		return 0;
	}

	@Override
	public void close() {
		// The caller's stream is the caller's to close.
	}

	@Override
	public boolean markSupported() {
		return false;
	}

}
