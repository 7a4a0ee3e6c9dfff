/**
 * Uploads and downloads streamed through the {@code files} store with their content type,
 * size and upload time as metadata.
 */
@NullMarked
package io.kvstore.sample.files;

import org.jspecify.annotations.NullMarked;
