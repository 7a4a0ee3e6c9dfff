package io.kvstore.redis;

import java.util.Arrays;
import java.util.List;

import io.lettuce.core.KeyValue;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.KeyValueListOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

/**
 * {@code HMGET}s (and the {@code PTTL} a near-cache fill sends with one) built here
 * rather than through Lettuce's command interface: for batches handed to Lettuce at once
 * ({@link KvRedisConnection#hmgetAll}) and for the near cache, which acts on a reply on
 * Lettuce's event loop.
 */
final class HashReads {

	private HashReads() {
	}

	/**
	 * An {@code HMGET} as a command not yet sent, for callers that must act on its reply
	 * on Lettuce's event loop (a stage added before it is dispatched runs there, in order
	 * with the push messages of the same connection).
	 * @param key the key
	 * @param fields the fields
	 * @return the command; its reply holds one {@link KeyValue} per field
	 */
	static AsyncCommand<byte[], byte[], List<KeyValue<byte[], byte[]>>> hmget(byte[] key, byte[]... fields) {
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key);
		for (byte[] field : fields) {
			args.add(field);
		}
		return new AsyncCommand<>(new Command<>(CommandType.HMGET,
				new KeyValueListOutput<>(ByteArrayCodec.INSTANCE, Arrays.asList(fields)), args));
	}

	/** The values of an {@code HMGET}'s reply, {@code null} for a missing field. */
	static byte[][] values(List<KeyValue<byte[], byte[]>> fields) {
		byte[][] values = new byte[fields.size()][];
		for (int i = 0; i < values.length; i++) {
			KeyValue<byte[], byte[]> field = fields.get(i);
			values[i] = field.hasValue() ? field.getValue() : null;
		}
		return values;
	}

	/**
	 * A {@code PTTL} as a command not yet sent, to be dispatched with an {@link #hmget}
	 * in one write.
	 * @param key the key
	 * @return the command; its reply is the key's time to live in milliseconds, -1
	 * without expiry, -2 for a missing key
	 */
	static AsyncCommand<byte[], byte[], Long> pttl(byte[] key) {
		return new AsyncCommand<>(new Command<>(CommandType.PTTL, new IntegerOutput<>(ByteArrayCodec.INSTANCE),
				new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key)));
	}

}
