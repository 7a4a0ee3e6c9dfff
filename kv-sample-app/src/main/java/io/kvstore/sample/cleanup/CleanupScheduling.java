package io.kvstore.sample.cleanup;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Runs {@link SessionCleanup} on its schedule unless {@code sample.cleanup.enabled} is
 * false.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "sample.cleanup.enabled", matchIfMissing = true)
@EnableScheduling
class CleanupScheduling {

}
