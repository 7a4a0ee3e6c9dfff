package io.kvstore.redis;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs a contract test class once on every {@link AbstractKvTest.Topology}: a single
 * Redis of the {@code PATH} (Redis 7), a single Redis 6.2, Redis 8.0, Valkey 8.0 and
 * Valkey 8.1 (each skipped where it is missing), a 3-master Redis Cluster, and the
 * in-memory backend. A test in it that inspects Redis itself assumes the memory topology
 * away, or checks the memory entries.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "{0}")
@EnumSource(AbstractKvTest.Topology.class)
@interface OnEveryTopology {

}
