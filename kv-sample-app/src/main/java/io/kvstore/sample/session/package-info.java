/**
 * Session management: sessions as JSON with a 24-hour expiration in the {@code sessions}
 * store.
 */
@NullMarked
package io.kvstore.sample.session;

import org.jspecify.annotations.NullMarked;
