/**
 * The in-memory backend: stores kept in the application's heap, with the whole contract
 * (checks, messages, list pages and cursors, streams, metadata, expiration) and time from
 * a {@link java.time.Clock}, for tests and local runs without Redis.
 */
@NullMarked
package io.kvstore.memory;

import org.jspecify.annotations.NullMarked;
