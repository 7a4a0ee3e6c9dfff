package io.kvstore.sample.users;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * The read-through user cache as Spring Cache: {@code @Cacheable} over the
 * {@code user-cache} store (a Spring cache of that name, {@code kv.cache.enabled=true}),
 * whose {@code default-ttl} is how long a user stays cached. The value is JSON with its
 * type, read back as a {@link User} (the application's own package is allowed).
 */
@Service
public class CachedUserService {

	private final UserRepository users;

	private final AtomicLong databaseReads = new AtomicLong();

	public CachedUserService(UserRepository users) {
		this.users = users;
	}

	/**
	 * The user, from the cache or else the database. A missing user is not cached.
	 * @param id the user's id
	 * @return the user, or empty
	 */
	@Cacheable(cacheNames = "user-cache", key = "#id", unless = "#result == null")
	public Optional<User> find(long id) {
		this.databaseReads.incrementAndGet();
		return this.users.findById(id);
	}

	/** How often the database was read through this service. */
	public long databaseReads() {
		return this.databaseReads.get();
	}

}
