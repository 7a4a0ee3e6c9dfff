package io.kvstore.redis;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.kvstore.KvKey;
import io.kvstore.KvListOptions;
import io.kvstore.KvListResult;
import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvSerializationException;
import io.kvstore.KvType;
import io.kvstore.KvValue;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.ConcurrencyFailureException;

/**
 * A {@link KvNamespace} kept in Redis, in the layout that {@link EntryLayout} describes.
 * <p>
 * Round trips, for a reader counting them: a put, get or delete of a value up to 1 MiB is one
 * round trip (a put: one {@code RESTORE}, one script, or a staging {@code HSET} pipelined
 * with its script; a get: one {@code HMGET}; a delete: one {@code DEL}). A larger value is
 * written as one script call per 1 MiB chunk (the next chunk is read from the caller while the
 * previous one is on the wire) and committed by one script; it is read by one {@code HMGET}
 * and then one {@code HMGET} of all its chunks (or one {@code HMGET} per chunk for
 * {@link KvType#STREAM}). A list page is one or more {@code SCAN} calls and one pipelined
 * {@code HMGET} per key.
 */
public final class RedisKvNamespace implements KvNamespace {

	private static final Pattern STORE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

	private static final byte[] EMPTY = new byte[0];

	private static final byte[] MODE_NONE = ascii("none");

	private static final byte[] MODE_AFTER = ascii("after");

	private static final byte[] MODE_AT = ascii("at");

	private static final byte[] CREATE = ascii("1");

	private static final byte[] ADD = ascii("0");

	// How often a read of a large value starts again when the value changes between its two
	// reads, before it gives up.
	private static final int MAX_READ_ATTEMPTS = 10;

	private static final int MAX_SCAN_COUNT = 10_000;

	private static final String PUT = "put";

	private static final String GET = "get";

	private static final String GET_WITH_METADATA = "getWithMetadata";

	private static final String LIST = "list";

	private static final String DELETE = "delete";

	private final String name;

	private final KvRedisConnection redis;

	private final KvLimits limits;

	private final EntryLayout layout;

	private final JsonMapper jsonMapper;

	private final ObjectWriter jsonWriter;

	private final Map<java.lang.reflect.Type, ObjectReader> jsonReaders = new ConcurrentHashMap<>();

	private final ObservationRegistry observationRegistry;

	/**
	 * Creates a store with the given settings.
	 * @param name the store name: lowercase letters, digits and {@code -}, starting with a
	 * letter, at most 63 characters
	 * @param settings the store's settings
	 * @param redis the connection the stores share
	 * @param jsonMapper the mapper for JSON values and metadata
	 */
	public RedisKvNamespace(String name, KvStoreSettings settings, KvRedisConnection redis, JsonMapper jsonMapper) {
		this(name, settings, redis, jsonMapper, Clock.systemUTC());
	}

	/**
	 * Creates a store with the given settings and clock (the clock checks absolute
	 * expirations; time to live is measured by Redis).
	 * @param name the store name
	 * @param settings the store's settings
	 * @param redis the connection the stores share
	 * @param jsonMapper the mapper for JSON values and metadata
	 * @param clock the clock that absolute expirations are checked against
	 */
	public RedisKvNamespace(String name, KvStoreSettings settings, KvRedisConnection redis, JsonMapper jsonMapper,
			Clock clock) {
		this(name, settings, redis, jsonMapper, clock, ObservationRegistry.NOOP);
	}

	/**
	 * Creates a store whose operations are observed (timed as {@code kv.operations}, traced).
	 * @param name the store name
	 * @param settings the store's settings
	 * @param redis the connection the stores share
	 * @param jsonMapper the mapper for JSON values and metadata
	 * @param clock the clock that absolute expirations are checked against
	 * @param observationRegistry where observations go; {@link ObservationRegistry#NOOP} for
	 * none, which costs nothing
	 */
	public RedisKvNamespace(String name, KvStoreSettings settings, KvRedisConnection redis, JsonMapper jsonMapper,
			Clock clock, ObservationRegistry observationRegistry) {
		checkStoreName(name);
		this.observationRegistry = requireArgument("observationRegistry", observationRegistry);
		this.name = name;
		this.limits = new KvLimits(requireArgument("settings", settings), requireArgument("clock", clock));
		this.redis = requireArgument("redis", redis);
		this.jsonMapper = requireArgument("jsonMapper", jsonMapper);
		this.jsonWriter = jsonMapper.writer().without(SerializationFeature.INDENT_OUTPUT);
		this.layout = new EntryLayout(settings.keyPrefix());
	}

	/**
	 * Checks a store name.
	 * @param name the name
	 * @throws IllegalArgumentException when the name is not lowercase letters, digits and
	 * {@code -}, starting with a letter, at most 63 characters
	 */
	public static void checkStoreName(@Nullable String name) {
		if (name == null || !STORE_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Store name must be lowercase letters, digits and '-', start with a letter "
					+ "and be at most 63 characters long, was " + ((name != null) ? "'" + name + "'" : "null"));
		}
	}

	@Override
	public String name() {
		return this.name;
	}

	/**
	 * The settings of this store.
	 * @return the settings
	 */
	public KvStoreSettings settings() {
		return this.limits.settings();
	}

	// ---- put ----

	@Override
	public void put(String key, String value) {
		put(key, value, KvPutOptions.none());
	}

	@Override
	public void put(String key, String value, KvPutOptions options) {
		putValue(key, () -> this.limits.text(value), options);
	}

	@Override
	public void put(String key, byte[] value) {
		put(key, value, KvPutOptions.none());
	}

	@Override
	public void put(String key, byte[] value, KvPutOptions options) {
		putValue(key, () -> this.limits.value(value), options);
	}

	@Override
	public void putJson(String key, Object value) {
		putJson(key, value, KvPutOptions.none());
	}

	@Override
	public void putJson(String key, Object value, KvPutOptions options) {
		putValue(key, () -> this.limits.json(value, this.jsonWriter), options);
	}

	// A put of a value held in memory: checks key, value and options in that order, then
	// writes it inline or in chunks.
	private void putValue(String key, java.util.function.Supplier<byte[]> checkedValue, KvPutOptions options) {
		observe(PUT, (observation) -> {
			byte[] entryKey = entryKey(key);
			byte[] bytes = checkedValue.get();
			write(entryKey, bytes, prepare(options), observation);
			return null;
		});
	}

	@Override
	public void put(String key, InputStream value) {
		put(key, value, KvPutOptions.none());
	}

	@Override
	public void put(String key, InputStream value, KvPutOptions options) {
		observe(PUT, (observation) -> {
			byte[] entryKey = entryKey(key);
			this.limits.notNull("value", value);
			PutArguments arguments = prepare(options);
			// Read one byte past the limit at most: enough to refuse the stream, no more.
			InputStream bounded = new BoundedInputStream(value, this.limits.settings().maxValueSize() + 1L);
			try {
				byte[] first = bounded.readNBytes(EntryLayout.CHUNK_SIZE);
				int next = (first.length == EntryLayout.CHUNK_SIZE) ? bounded.read() : -1;
				if (next == -1) {
					this.limits.valueSize(first.length);
					putInline(entryKey, first, arguments);
					observation.valueSize(first.length);
				}
				else {
					observation.valueSize(putChunked(entryKey, first, next, bounded, arguments));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Reading the value of " + describe(key) + " failed", ex);
			}
			return null;
		});
	}

	private void write(byte[] entryKey, byte[] value, PutArguments arguments, KvObservationContext observation) {
		observation.valueSize(value.length);
		if (value.length <= EntryLayout.CHUNK_SIZE) {
			putInline(entryKey, value, arguments);
		}
		else {
			try (InputStream in = new ByteArrayInputStream(value, EntryLayout.CHUNK_SIZE, value.length)) {
				byte[] first = Arrays.copyOf(value, EntryLayout.CHUNK_SIZE);
				putChunked(entryKey, first, in.read(), in, arguments);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	// One round trip: the whole entry restored in one RESTORE, or the PUT script with the
	// value as its argument, or, for a larger value, the value staged with a plain HSET and
	// renamed into place by PUT_STAGED (see EntryLayout).
	private void putInline(byte[] entryKey, byte[] value, PutArguments arguments) {
		if (value.length <= EntryLayout.RESTORE_VALUE_LIMIT && arguments.expiry().mode() != KvLimits.Expiry.Mode.AFTER
				&& this.redis.restore(entryKey, DumpPayload.hash(entryFields(value, arguments, true)), arguments.expireAt())) {
			return;
		}
		if (value.length <= EntryLayout.SCRIPT_VALUE_LIMIT) {
			this.redis.eval(EntryLayout.PUT, new byte[][] { entryKey }, value, arguments.metadata(), arguments.mode(),
					arguments.millis());
			return;
		}
		byte[] staged = this.layout.newStagingKey(entryKey);
		// The staged entry gets its expiration from PUT_STAGED, on Redis' clock.
		byte[][] fields = entryFields(value, arguments, false);
		boolean completed = false;
		try {
			this.redis.stageAndEval(staged, fields, EntryLayout.STAGING_TTL_MILLIS, EntryLayout.PUT_STAGED,
					new byte[][] { entryKey, staged }, arguments.mode(), arguments.millis());
			completed = true;
		}
		finally {
			if (!completed) {
				discard(staged, null);
			}
		}
	}

	/**
	 * Writes a value larger than one chunk to a new staged entry, chunk by chunk (each chunk
	 * with {@link EntryLayout#CHUNK}, the last one with length and metadata), then renames it
	 * into place. Reads the next chunk from the caller while the previous one is on the wire;
	 * holds two chunks at most. Whatever fails or is refused on the way, the staged entry is
	 * deleted and the previous entry stays as it was.
	 */
	private long putChunked(byte[] entryKey, byte[] first, int firstOfRest, InputStream rest, PutArguments arguments)
			throws IOException {
		byte[] stagedKey = this.layout.newStagingKey(entryKey);
		byte[][] keys = { stagedKey };
		CompletableFuture<?> inFlight = null;
		long sent = 0;
		int index = 0;
		boolean completed = false;
		try {
			byte[] chunk = first;
			int carry = firstOfRest;
			long total = first.length;
			this.limits.valueSize(total);
			while (chunk != null) {
				if (inFlight != null) {
					checkStaged(this.redis.await(inFlight));
				}
				sent += chunk.length;
				List<byte[]> args = new ArrayList<>(7);
				args.add((index == 0) ? CREATE : ADD);
				if (index == 0) {
					// The staging key is unique: it is the generation of the value too.
					args.add(EntryLayout.GENERATION);
					args.add(stagedKey);
				}
				args.add(EntryLayout.chunkField(index++));
				args.add(chunk);
				if (carry == -1) {
					args.add(EntryLayout.LENGTH);
					args.add(ascii(Long.toString(sent)));
					if (arguments.metadata().length > 0) {
						args.add(EntryLayout.METADATA);
						args.add(arguments.metadata());
					}
				}
				inFlight = this.redis.evalAsync(EntryLayout.CHUNK, keys, args.toArray(byte[][]::new));
				chunk = null;
				if (carry != -1) {
					byte[] buffer = new byte[EntryLayout.CHUNK_SIZE];
					buffer[0] = (byte) carry;
					int length = 1 + rest.readNBytes(buffer, 1, buffer.length - 1);
					carry = (length == buffer.length) ? rest.read() : -1;
					total += length;
					this.limits.valueSize(total);
					chunk = (length == buffer.length) ? buffer : Arrays.copyOf(buffer, length);
				}
			}
			checkStaged(this.redis.await(inFlight));
			this.redis.eval(EntryLayout.PUT_STAGED, new byte[][] { entryKey, stagedKey }, arguments.mode(),
					arguments.millis());
			completed = true;
			return sent;
		}
		finally {
			if (!completed) {
				discard(stagedKey, inFlight);
			}
		}
	}

	private void checkStaged(Object reply) {
		if (reply instanceof Long status && status < 0) {
			throw new IllegalStateException("The staged value expired while the stream was read (it stalled for more than "
					+ EntryLayout.STAGING_TTL_MILLIS / 1000 + " seconds between two chunks); nothing was written");
		}
	}

	private void discard(byte[] stagedKey, @Nullable CompletableFuture<?> inFlight) {
		try {
			if (inFlight != null) {
				// Let the chunk on the wire land first (within the command timeout), so that the
				// delete comes after it.
				this.redis.await(inFlight.handle((result, failure) -> null));
			}
			this.redis.sync((commands) -> commands.del(stagedKey));
		}
		catch (RuntimeException ex) {
			// What was staged expires by itself within the staging TTL.
		}
	}

	// The fields of an entry with a value held in one field, as the PUT script writes them:
	// value, length, metadata if any and, when asked for, an absolute expiration if any.
	private static byte[][] entryFields(byte[] value, PutArguments arguments, boolean withExpiration) {
		boolean metadata = arguments.metadata().length > 0;
		boolean expires = withExpiration && arguments.expiry().mode() == KvLimits.Expiry.Mode.AT;
		byte[][] fields = new byte[4 + (metadata ? 2 : 0) + (expires ? 2 : 0)][];
		int i = 0;
		fields[i++] = EntryLayout.VALUE;
		fields[i++] = value;
		fields[i++] = EntryLayout.LENGTH;
		fields[i++] = ascii(Integer.toString(value.length));
		if (metadata) {
			fields[i++] = EntryLayout.METADATA;
			fields[i++] = arguments.metadata();
		}
		if (expires) {
			fields[i++] = EntryLayout.EXPIRES_AT;
			fields[i] = arguments.millis();
		}
		return fields;
	}

	private PutArguments prepare(KvPutOptions options) {
		this.limits.notNull("options", options);
		KvLimits.Expiry expiry = this.limits.expiry(options);
		byte[] metadata = this.limits.metadata(options.metadata(), this.jsonWriter);
		byte[] mode = switch (expiry.mode()) {
			case NONE -> MODE_NONE;
			case AFTER -> MODE_AFTER;
			case AT -> MODE_AT;
		};
		return new PutArguments((metadata != null) ? metadata : EMPTY, expiry, mode, ascii(Long.toString(expiry.millis())));
	}

	// ---- get ----

	@Override
	public @Nullable String get(String key) {
		return read(key, KvType.TEXT, false).value();
	}

	@Override
	public <T> @Nullable T get(String key, KvType<T> type) {
		return read(key, type, false).value();
	}

	@Override
	public KvValue<String> getWithMetadata(String key) {
		return read(key, KvType.TEXT, true);
	}

	@Override
	public <T> KvValue<T> getWithMetadata(String key, KvType<T> type) {
		return read(key, type, true);
	}

	private <T> KvValue<T> read(String key, KvType<T> type, boolean withMetadata) {
		return observe(withMetadata ? GET_WITH_METADATA : GET, (observation) -> read(key, type, withMetadata, observation));
	}

	// One HMGET of value, generation, length (and metadata). A value over one chunk takes a
	// second HMGET of all of the entry's fields and chunks at once, so that the value and its
	// metadata come from one put; should the entry have changed in between (other chunks), the
	// second read starts over.
	private <T> KvValue<T> read(String key, KvType<T> type, boolean withMetadata, KvObservationContext observation) {
		byte[] entryKey = entryKey(key);
		this.limits.notNull("type", type);
		byte[][] header = withMetadata
				? new byte[][] { EntryLayout.VALUE, EntryLayout.GENERATION, EntryLayout.LENGTH, EntryLayout.METADATA }
				: new byte[][] { EntryLayout.VALUE, EntryLayout.GENERATION, EntryLayout.LENGTH };
		byte[][] requested = header;
		for (int attempt = 1;; attempt++) {
			byte[][] fields = requested;
			List<KeyValue<byte[], byte[]>> read = this.redis.sync((commands) -> commands.hmget(entryKey, fields));
			byte[] inline = field(read, 0);
			byte[] generation = field(read, 1);
			if (inline == null && generation == null) {
				observation.found(false);
				return KvValue.missing();
			}
			observation.found(true);
			JsonNode metadata = withMetadata ? metadata(field(read, 3)) : null;
			if (inline != null) {
				observation.valueSize(inline.length);
				return new KvValue<>(decode(key, inline, type), metadata, null);
			}
			long length = parseLong(field(read, 2));
			observation.valueSize(length);
			if (type.kind() == KvType.Kind.STREAM) {
				InputStream stream = new ChunkInputStream(this.redis, entryKey, generation, length, describe(key));
				return new KvValue<>(cast(stream), metadata, null);
			}
			byte[] value = (read.size() > header.length) ? assemble(read, header.length, length) : null;
			if (value != null) {
				return new KvValue<>(decode(key, value, type), metadata, null);
			}
			if (attempt == MAX_READ_ATTEMPTS) {
				throw new ConcurrencyFailureException("The value of " + describe(key) + " changed " + attempt
						+ " times while it was read; try again");
			}
			requested = withChunks(header, length);
		}
	}

	// The header fields and the fields of every chunk of a value of that length.
	private static byte[][] withChunks(byte[][] header, long length) {
		int chunks = (int) ((length + EntryLayout.CHUNK_SIZE - 1) / EntryLayout.CHUNK_SIZE);
		byte[][] fields = Arrays.copyOf(header, header.length + chunks);
		for (int i = 0; i < chunks; i++) {
			fields[header.length + i] = EntryLayout.chunkField(i);
		}
		return fields;
	}

	// The value from its chunks, or null when they are not those of a value of that length.
	private static byte @Nullable [] assemble(List<KeyValue<byte[], byte[]>> read, int from, long length) {
		long total = 0;
		for (int i = from; i < read.size(); i++) {
			byte[] chunk = field(read, i);
			if (chunk == null) {
				return null;
			}
			total += chunk.length;
		}
		if (total != length || total > Integer.MAX_VALUE) {
			return null;
		}
		byte[] value = new byte[(int) total];
		int position = 0;
		for (int i = from; i < read.size(); i++) {
			byte[] chunk = field(read, i);
			System.arraycopy(chunk, 0, value, position, chunk.length);
			position += chunk.length;
		}
		return value;
	}

	@SuppressWarnings("unchecked")
	private static <T> T cast(Object value) {
		return (T) value;
	}

	private <T> @Nullable T decode(String key, byte[] value, KvType<T> type) {
		return switch (type.kind()) {
			case TEXT -> cast(new String(value, StandardCharsets.UTF_8));
			case BYTES -> cast(value);
			case STREAM -> cast(new ByteArrayInputStream(value));
			case JSON -> readJson(key, value, type);
		};
	}

	private <T> @Nullable T readJson(String key, byte[] value, KvType<T> type) {
		ObjectReader reader = this.jsonReaders.computeIfAbsent(type.javaType(), (javaType) -> this.jsonMapper
			.readerFor(this.jsonMapper.constructType(javaType))
			.with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
		try {
			if (value.length == 0) {
				throw new KvSerializationException(key,
						"The value of " + describe(key) + " is empty, which is not valid JSON (read as " + type + ")", null);
			}
			return reader.readValue(value);
		}
		catch (JacksonException ex) {
			throw new KvSerializationException(key, "The value of " + describe(key) + " cannot be read as " + type + ": "
					+ ex.getOriginalMessage(), ex);
		}
	}

	private @Nullable JsonNode metadata(byte @Nullable [] json) {
		if (json == null) {
			return null;
		}
		try {
			return this.jsonMapper.readTree(json);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("The metadata stored in store '" + this.name + "' is not valid JSON", ex);
		}
	}

	// ---- list ----

	@Override
	public KvListResult list() {
		return list(KvListOptions.all());
	}

	@Override
	public KvListResult list(KvListOptions options) {
		return observe(LIST, (observation) -> listPage(options));
	}

	private KvListResult listPage(KvListOptions options) {
		this.limits.notNull("options", options);
		byte[] prefix = this.limits.prefix(options.prefix());
		int limit = this.limits.limit(options.limit());
		ListCursor from = (options.cursor() != null)
				? ListCursor.decode(options.cursor(), this.layout.prefix(), prefix, this.limits.settings().maxKeySize())
				: ListCursor.START;
		TreeSet<byte[]> found = new TreeSet<>(Arrays::compareUnsigned);
		found.addAll(from.pending());
		List<String> nodes = this.redis.scanNodes();
		String node = from.node();
		String scanCursor = from.scanCursor();
		// A cluster listing starts before the first master; a master that left the cluster
		// between two pages is skipped.
		boolean scanFinished = from.scanFinished() || !nodes.contains(node);
		byte[] pattern = this.layout.matchPattern(prefix);
		long count = limit;
		// Scan until one key more than the page holds is found, or every node's scan ends:
		// only then is it known whether this page is the last one. On a cluster the scan goes
		// master by master, in the order of their node IDs.
		while (found.size() <= limit) {
			if (scanFinished) {
				String next = nextNode(nodes, node);
				if (next == null) {
					break;
				}
				node = next;
				scanCursor = "0";
				scanFinished = false;
			}
			KeyScanArgs args = new KeyScanArgs();
			args.type("hash");
			args.match(pattern);
			args.limit(count);
			KeyScanCursor<byte[]> scanned = this.redis.scan(node, ScanCursor.of(scanCursor), args);
			for (byte[] redisKey : scanned.getKeys()) {
				if (this.layout.isEntryKey(redisKey)) {
					found.add(this.layout.key(redisKey));
				}
			}
			scanCursor = scanned.getCursor();
			scanFinished = scanned.isFinished();
			count = nextScanCount(count, scanned.getKeys().size(), limit + 1 - found.size());
		}
		boolean finished = scanFinished && nextNode(nodes, node) == null;
		List<byte[]> page = new ArrayList<>(Math.min(limit, found.size()));
		Iterator<byte[]> keys = found.iterator();
		while (page.size() < limit && keys.hasNext()) {
			page.add(keys.next());
		}
		List<byte[]> pending = new ArrayList<>();
		keys.forEachRemaining(pending::add);
		List<KvKey> listed = describeKeys(page);
		boolean complete = finished && pending.isEmpty();
		String next = complete ? null
				: new ListCursor(node, scanCursor, scanFinished, pending).encode(this.layout.prefix(), prefix);
		return new KvListResult(listed, complete, next);
	}

	// The node to scan after the given one: the first whose ID sorts after it (the empty ID
	// of the start sorts before every other).
	private static @Nullable String nextNode(List<String> nodes, String node) {
		for (String candidate : nodes) {
			if (candidate.compareTo(node) > 0) {
				return candidate;
			}
		}
		return null;
	}

	// SCAN's COUNT is the number of keys Redis looks at, of which only those matching the
	// prefix come back. Start with the page size (a page of a dense prefix then needs one
	// call and leaves few keys for the cursor to carry); for a sparse prefix, scale COUNT by
	// the share that matched so far, within bounds.
	private static long nextScanCount(long count, int matched, int remaining) {
		if (remaining <= 0) {
			return count;
		}
		if (matched == 0) {
			return Math.min(count * 4, MAX_SCAN_COUNT);
		}
		double share = (double) matched / count;
		long wanted = (long) Math.ceil(remaining / share);
		return Math.max(remaining, Math.min(wanted, MAX_SCAN_COUNT));
	}

	// One pipelined round trip: an HMGET of length, expiration and metadata per key. A key
	// whose length is missing vanished (deleted or expired) since the SCAN and is left out.
	private List<KvKey> describeKeys(List<byte[]> page) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.redis.async();
		List<RedisFuture<List<KeyValue<byte[], byte[]>>>> replies = new ArrayList<>(page.size());
		for (byte[] key : page) {
			replies.add(commands.hmget(this.layout.entryKey(key), EntryLayout.LENGTH, EntryLayout.EXPIRES_AT,
					EntryLayout.METADATA));
		}
		List<KvKey> listed = new ArrayList<>(page.size());
		for (int i = 0; i < page.size(); i++) {
			List<KeyValue<byte[], byte[]>> fields = this.redis.await(replies.get(i));
			if (field(fields, 0) == null) {
				continue;
			}
			byte[] expiresAt = field(fields, 1);
			Long expiration = (expiresAt != null) ? Math.floorDiv(parseLong(expiresAt), 1000L) : null;
			listed.add(new KvKey(new String(page.get(i), StandardCharsets.UTF_8), expiration, metadata(field(fields, 2))));
		}
		return listed;
	}

	// ---- delete ----

	@Override
	public void delete(String key) {
		observe(DELETE, (observation) -> {
			byte[] entryKey = entryKey(key);
			this.redis.sync((commands) -> commands.del(entryKey));
			return null;
		});
	}

	/**
	 * One round trip to Redis for this store, for health checks: an {@code EXISTS} of the
	 * store's bare key prefix (which no entry can have), so it passes an ACL that limits the
	 * application to the stores' keys.
	 * @return how long the round trip took
	 */
	public java.time.Duration ping() {
		long start = System.nanoTime();
		this.redis.sync((commands) -> commands.exists(this.layout.prefix()));
		return java.time.Duration.ofNanos(System.nanoTime() - start);
	}

	// ---- observation ----

	// Without an observation registry an operation runs as it is; with one it is observed as
	// kv.operations (a timer with metrics, a span with tracing).
	private <T> T observe(String operation, java.util.function.Function<KvObservationContext, T> action) {
		KvObservationContext context = new KvObservationContext(this.name, operation);
		if (this.observationRegistry.isNoop()) {
			return action.apply(context);
		}
		Observation observation = Observation
			.createNotStarted(null, KvObservationConvention.DEFAULT, () -> context, this.observationRegistry)
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

	// ---- helpers ----

	private byte[] entryKey(String key) {
		return this.layout.entryKey(this.limits.key(key));
	}

	private String describe(String key) {
		return "key '" + key + "' in store '" + this.name + "'";
	}

	private static byte @Nullable [] field(List<KeyValue<byte[], byte[]>> fields, int index) {
		KeyValue<byte[], byte[]> field = fields.get(index);
		return field.hasValue() ? field.getValue() : null;
	}

	private static long parseLong(byte[] digits) {
		return Long.parseLong(new String(digits, StandardCharsets.US_ASCII));
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static <T> T requireArgument(String name, @Nullable T value) {
		if (value == null) {
			throw new IllegalArgumentException("'" + name + "' must not be null");
		}
		return value;
	}

	@Override
	public String toString() {
		return "RedisKvNamespace[" + this.name + ", prefix '" + this.limits.settings().keyPrefix() + "']";
	}

	/**
	 * Passes on at most a number of bytes of a stream, then reports its end.
	 */
	private static final class BoundedInputStream extends java.io.FilterInputStream {

		private long remaining;

		BoundedInputStream(InputStream in, long limit) {
			super(in);
			this.remaining = limit;
		}

		@Override
		public int read() throws IOException {
			if (this.remaining <= 0) {
				return -1;
			}
			int b = this.in.read();
			if (b != -1) {
				this.remaining--;
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (length == 0) {
				return 0;
			}
			if (this.remaining <= 0) {
				return -1;
			}
			int n = this.in.read(buffer, offset, (int) Math.min(length, this.remaining));
			if (n > 0) {
				this.remaining -= n;
			}
			return n;
		}

		@Override
		public long skip(long n) {
			throw new UnsupportedOperationException();
		}

	}

	private record PutArguments(byte[] metadata, KvLimits.Expiry expiry, byte[] mode, byte[] millis) {

		// The expiry instant in epoch milliseconds for RESTORE, 0 for none.
		long expireAt() {
			return (this.expiry.mode() == KvLimits.Expiry.Mode.AT) ? this.expiry.millis() : 0;
		}

	}

}
