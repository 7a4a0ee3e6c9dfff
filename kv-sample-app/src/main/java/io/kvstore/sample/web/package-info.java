/**
 * Error responses shared by every example: RFC 9457 problem details.
 */
@NullMarked
package io.kvstore.sample.web;

import org.jspecify.annotations.NullMarked;
