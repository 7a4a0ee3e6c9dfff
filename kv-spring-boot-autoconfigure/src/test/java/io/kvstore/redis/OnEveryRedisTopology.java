package io.kvstore.redis;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs a test class once on every Redis {@link AbstractKvTest.Topology} (a single Redis
 * of the {@code PATH}, Redis 6.2, Redis 8.0, Valkey 8.0, Valkey 8.1, and a 3-master Redis
 * Cluster), and not on {@link AbstractKvTest.Topology#MEMORY}: for tests of Redis' own
 * layout, commands and round trips, which a store kept in memory does not have. What the
 * contract promises is tested with {@link OnEveryTopology}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "{0}")
@EnumSource(value = AbstractKvTest.Topology.class, names = "MEMORY", mode = EnumSource.Mode.EXCLUDE)
@interface OnEveryRedisTopology {

}
