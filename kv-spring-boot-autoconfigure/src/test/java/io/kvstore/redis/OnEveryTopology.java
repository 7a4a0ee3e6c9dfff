package io.kvstore.redis;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs a contract test class once on every {@link AbstractKvTest.Topology}: a single Redis 7,
 * a single Redis 6.2, a 3-master Redis Cluster, and the in-memory backend. A test in it that
 * inspects Redis itself assumes the memory topology away, or checks the memory entries.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "{0}")
@EnumSource(AbstractKvTest.Topology.class)
@interface OnEveryTopology {

}
