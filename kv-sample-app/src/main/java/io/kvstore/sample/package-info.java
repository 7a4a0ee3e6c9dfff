/**
 * The sample application of the KV starter.
 */
@NullMarked
package io.kvstore.sample;

import org.jspecify.annotations.NullMarked;
