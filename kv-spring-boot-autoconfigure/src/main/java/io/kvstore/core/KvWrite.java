package io.kvstore.core;

import org.jspecify.annotations.Nullable;

/**
 * What a put writes beside the value, checked: its metadata and its expiry.
 *
 * @param metadata the metadata as compact UTF-8 JSON, or {@code null} for none
 * @param expiry when the entry expires
 */
public record KvWrite(byte @Nullable [] metadata, KvExpiry expiry) {
}
