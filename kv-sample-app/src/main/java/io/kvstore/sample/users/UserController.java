package io.kvstore.sample.users;

import io.kvstore.KvNamespace;
import io.kvstore.KvPutOptions;
import io.kvstore.KvSerializationException;
import io.kvstore.KvType;
import io.kvstore.sample.SampleProperties;
import io.kvstore.sample.web.NotFoundException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A read-through cache: {@code GET /users/{id}} answers from {@code demo-cache} when it
 * can, otherwise reads the database and caches the user as JSON for five minutes
 * ({@code sample.users.cache-ttl}). The answer's {@code source} tells which one answered.
 */
@RestController
public class UserController {

	private static final Log log = LogFactory.getLog(UserController.class);

	private final KvNamespace demoCache;

	private final UserRepository users;

	private final SampleProperties properties;

	private final CachedUserService cachedUsers;

	public UserController(KvNamespace demoCache, UserRepository users, SampleProperties properties,
			CachedUserService cachedUsers) {
		this.demoCache = demoCache;
		this.users = users;
		this.properties = properties;
		this.cachedUsers = cachedUsers;
	}

	/**
	 * The same lookup through {@code @Cacheable} ({@link CachedUserService}): the answer
	 * says how often the service has read the database so far.
	 */
	@GetMapping("/cached-users/{id}")
	CachedLookup cachedUser(@PathVariable long id) {
		User user = this.cachedUsers.find(id).orElseThrow(() -> new NotFoundException("No user with id " + id));
		return new CachedLookup(user, this.cachedUsers.databaseReads());
	}

	@GetMapping("/users/{id}")
	UserLookup user(@PathVariable long id) {
		String key = "user:" + id;
		User cached = readCache(key);
		if (cached != null) {
			return new UserLookup(cached, "cache");
		}
		User user = this.users.findById(id).orElseThrow(() -> new NotFoundException("No user with id " + id));
		this.demoCache.putJson(key, user,
				KvPutOptions.builder().expirationTtl(this.properties.users().cacheTtl()).build());
		return new UserLookup(user, "database");
	}

	private @Nullable User readCache(String key) {
		try {
			return this.demoCache.get(key, KvType.json(User.class));
		}
		catch (KvSerializationException ex) {
			log.warn("Ignoring the unreadable cache entry '" + key + "': " + ex.getMessage());
			return null; // a cache miss: the database answers and the entry is rewritten
		}
	}

	/**
	 * The answer to {@code GET /users/{id}}.
	 *
	 * @param user the user
	 * @param source {@code cache} or {@code database}
	 */
	record UserLookup(User user, String source) {
	}

	/**
	 * The answer to {@code GET /cached-users/{id}}.
	 *
	 * @param user the user
	 * @param databaseReads how often the cached service has read the database so far
	 */
	record CachedLookup(User user, long databaseReads) {
	}

}
