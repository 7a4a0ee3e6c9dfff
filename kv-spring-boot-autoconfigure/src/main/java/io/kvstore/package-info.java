/**
 * The public KV API: named key-value stores with text, JSON, binary and streamed values,
 * metadata and expiration, modelled on Raindrop's KV stores and the Cloudflare Workers KV
 * binding.
 * <p>
 * Inject a {@link io.kvstore.KvNamespace} (one bean per declared store) or the
 * {@link io.kvstore.KvStores} registry. This package depends on nothing of Redis or
 * Spring.
 */
@NullMarked
package io.kvstore;

import org.jspecify.annotations.NullMarked;
