/**
 * The Redis implementation of the KV API: the entry layout, its Lua scripts, the list
 * cursor and chunked streams. Built on Spring Data Redis'
 * {@code LettuceConnectionFactory}; usable without Spring Boot.
 */
@NullMarked
package io.kvstore.redis;

import org.jspecify.annotations.NullMarked;
