/**
 * Spring Boot auto-configuration of KV stores: {@code kv.stores.*} properties become
 * {@link io.kvstore.KvNamespace} beans. It only wires; the KV logic lives in
 * {@code io.kvstore.redis}.
 */
@NullMarked
package io.kvstore.autoconfigure;

import org.jspecify.annotations.NullMarked;
