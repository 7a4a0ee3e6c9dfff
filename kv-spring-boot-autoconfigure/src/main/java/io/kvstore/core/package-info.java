/**
 * The rules of the KV contract, shared by every backend: the checks of every argument and
 * their messages ({@link io.kvstore.core.KvChecks}), the settings of a store
 * ({@link io.kvstore.core.KvStoreSettings}), the JSON codec
 * ({@link io.kvstore.core.KvJson}), observation, and
 * {@link io.kvstore.core.AbstractKvNamespace}, which checks, observes and hands each call
 * to a backend's {@link io.kvstore.core.KvStorage}. A backend only stores.
 */
@NullMarked
package io.kvstore.core;

import org.jspecify.annotations.NullMarked;
