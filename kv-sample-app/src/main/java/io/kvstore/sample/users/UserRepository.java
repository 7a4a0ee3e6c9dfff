package io.kvstore.sample.users;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Users in the embedded H2 database ({@code schema.sql} and {@code data.sql} create and
 * seed it at start-up).
 */
@Repository
public class UserRepository {

	private final JdbcClient jdbc;

	public UserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<User> findById(long id) {
		return this.jdbc.sql("SELECT id, name, email FROM users WHERE id = :id")
			.param("id", id)
			.query(User.class)
			.optional();
	}

}
