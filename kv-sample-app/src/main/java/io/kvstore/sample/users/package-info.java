/**
 * A read-through cache in the {@code demo-cache} store in front of an H2 database.
 */
@NullMarked
package io.kvstore.sample.users;

import org.jspecify.annotations.NullMarked;
