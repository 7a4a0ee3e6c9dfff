package io.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.lettuce.core.ScriptOutputType;

/**
 * A Lua script with its SHA-1, run with {@code EVALSHA} (and {@code EVAL} once when Redis
 * does not know it yet).
 *
 * @param source the Lua source
 * @param sha the SHA-1 of the source, in lowercase hex
 * @param output how Lettuce reads the reply
 */
record KvScript(String source, String sha, ScriptOutputType output) {

	static KvScript of(String source, ScriptOutputType output) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
			return new KvScript(source, HexFormat.of().formatHex(digest), output);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is not available", ex);
		}
	}

}
