package io.kvstore.sample.users;

/**
 * A row of the {@code users} table.
 *
 * @param id the id
 * @param name the name
 * @param email the e-mail address
 */
public record User(long id, String name, String email) {
}
