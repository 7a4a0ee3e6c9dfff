package io.kvstore.autoconfigure;

import java.util.List;

import io.kvstore.KvNamespace;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Checks, once every bean definition is known and before any bean is created, that each
 * declared store's bean name belongs to a {@link KvNamespace}: the store itself, or the
 * application's own replacement. A bean of another type with a store's name is a clash
 * that fails start-up.
 */
class KvStoreBeanNamesCheck implements BeanFactoryPostProcessor {

	private final List<String> names;

	KvStoreBeanNamesCheck(List<String> names) {
		this.names = names;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		for (String name : this.names) {
			if (!beanFactory.isTypeMatch(name, KvNamespace.class)) {
				Class<?> type = beanFactory.getType(name, false);
				throw new KvConfigurationException("kv.stores." + name, null,
						"the store's name clashes with the bean '" + name + "' of type "
								+ ((type != null) ? type.getName() : "unknown") + ", which is not a KvNamespace",
						"Rename the store, or rename the bean '" + name + "'. To replace the store with a bean of your "
								+ "own, make that bean a KvNamespace.");
			}
		}
	}

}
