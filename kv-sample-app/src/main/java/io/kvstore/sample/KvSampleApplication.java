package io.kvstore.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application: a web service that uses the KV starter the way a customer would.
 */
@SpringBootApplication
public class KvSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(KvSampleApplication.class, args);
	}

}
