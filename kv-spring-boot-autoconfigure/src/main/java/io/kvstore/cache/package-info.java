/**
 * Spring's cache abstraction over KV stores: every declared store is a
 * {@link org.springframework.cache.Cache} of the same name
 * ({@link io.kvstore.cache.KvCacheManager}), its values JSON with the types they were put
 * as, read back only for allowed types.
 */
@NullMarked
package io.kvstore.cache;

import org.jspecify.annotations.NullMarked;
