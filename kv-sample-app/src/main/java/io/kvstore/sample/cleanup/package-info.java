/**
 * A scheduled job (and {@code POST /admin/cleanup}) that pages through the sessions with
 * the list cursor and deletes those that ended.
 */
@NullMarked
package io.kvstore.sample.cleanup;

import org.jspecify.annotations.NullMarked;
