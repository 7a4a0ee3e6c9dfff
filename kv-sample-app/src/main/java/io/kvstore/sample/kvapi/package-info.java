/**
 * A REST API over every declared store: values, metadata, expiration and paged listing.
 */
@NullMarked
package io.kvstore.sample.kvapi;

import org.jspecify.annotations.NullMarked;
