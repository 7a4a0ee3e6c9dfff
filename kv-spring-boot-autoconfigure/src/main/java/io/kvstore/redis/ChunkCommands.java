package io.kvstore.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * The commands that carry a chunk of a large value between a {@link ChunkBuffer} and
 * Redis without ever holding it as one array: the {@link EntryScripts#CHUNK} script,
 * whose last argument is written into Lettuce's output buffer from the chunk's segments,
 * and the {@code HMGET} of a chunk and its entry's generation, whose reply is read into
 * the segments. Everything else about them (routing by the first key on a cluster, replay
 * after a reconnect, errors) is Lettuce's, as for any command.
 */
final class ChunkCommands {

	private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

	private static final byte[] CRLF = { '\r', '\n' };

	private ChunkCommands() {
	}

	/**
	 * {@code EVALSHA} of a script with a chunk as its last argument.
	 * @return the command, whose output is the script's integer reply
	 */
	static RedisCommand<byte[], byte[], Long> evalsha(KvScript script, byte[][] keys, byte[][] args,
			ChunkBuffer chunk) {
		CommandArgs<byte[], byte[]> commandArgs = new WithChunk(chunk).add(script.sha());
		return new Command<>(CommandType.EVALSHA, new IntegerOutput<>(CODEC), scriptArgs(commandArgs, keys, args));
	}

	/**
	 * {@code EVAL} of a script's source with a chunk as its last argument: for a Redis
	 * that does not know the script yet.
	 * @return the command, whose output is the script's integer reply
	 */
	static RedisCommand<byte[], byte[], Long> eval(KvScript script, byte[][] keys, byte[][] args, ChunkBuffer chunk) {
		CommandArgs<byte[], byte[]> commandArgs = new WithChunk(chunk).add(script.source());
		return new Command<>(CommandType.EVAL, new IntegerOutput<>(CODEC), scriptArgs(commandArgs, keys, args));
	}

	private static CommandArgs<byte[], byte[]> scriptArgs(CommandArgs<byte[], byte[]> commandArgs, byte[][] keys,
			byte[][] args) {
		commandArgs.add(keys.length).addKeys(keys);
		for (byte[] arg : args) {
			commandArgs.add(arg);
		}
		return commandArgs;
	}

	/**
	 * {@code HMGET <entry> g <chunk field>}, read into a buffer: the output is the
	 * chunk's length when the entry still has the generation given and the chunk, else -1
	 * (the buffer's content is then undefined).
	 */
	static RedisCommand<byte[], byte[], Long> readChunk(byte[] entryKey, byte[] field, byte[] generation,
			ChunkBuffer into) {
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(CODEC).addKey(entryKey)
			.add(EntryLayout.GENERATION)
			.add(field);
		return new Command<>(CommandType.HMGET, new ChunkOutput(generation, into), args);
	}

	/**
	 * Arguments whose last one is a chunk, written from its segments as a RESP bulk
	 * string after the others.
	 */
	private static final class WithChunk extends CommandArgs<byte[], byte[]> {

		private final ChunkBuffer chunk;

		WithChunk(ChunkBuffer chunk) {
			super(CODEC);
			this.chunk = chunk;
		}

		@Override
		public int count() {
			return super.count() + 1;
		}

		@Override
		public void encode(ByteBuf buf) {
			super.encode(buf);
			buf.writeByte('$');
			buf.writeBytes(Integer.toString(this.chunk.length()).getBytes(StandardCharsets.US_ASCII));
			buf.writeBytes(CRLF);
			this.chunk.writeTo(buf);
			buf.writeBytes(CRLF);
		}

		@Override
		public String toCommandString() {
			return super.toCommandString() + " <chunk of " + this.chunk.length() + " bytes>";
		}

		@Override
		public String toString() {
			return getClass().getSimpleName() + " [" + toCommandString() + "]";
		}

	}

	/** The reply of {@link #readChunk}: the generation first, then the chunk. */
	private static final class ChunkOutput extends CommandOutput<byte[], byte[], Long> {

		private final byte[] generation;

		private final ChunkBuffer into;

		private int element;

		private boolean sameGeneration;

		ChunkOutput(byte[] generation, ChunkBuffer into) {
			super(CODEC, -1L);
			this.generation = generation;
			this.into = into;
		}

		@Override
		public void set(@Nullable ByteBuffer bytes) {
			if (this.element++ == 0) {
				this.sameGeneration = bytes != null && ByteBuffer.wrap(this.generation).equals(bytes);
			}
			else if (this.sameGeneration && bytes != null) {
				this.into.set(bytes);
				this.output = (long) this.into.length();
			}
		}

		@Override
		public String toString() {
			return "ChunkOutput [generation " + Arrays.toString(this.generation) + "]";
		}

	}

}
