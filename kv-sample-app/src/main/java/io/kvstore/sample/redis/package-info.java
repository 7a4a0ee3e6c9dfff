/**
 * Starts a local {@code redis-server} when none answers, so the app runs with only Java
 * installed.
 */
@NullMarked
package io.kvstore.sample.redis;

import org.jspecify.annotations.NullMarked;
