package dev.ferry.broker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A single-node broker that speaks the Apache Kafka wire protocol on {@code
 * ferry.broker.listener.port} (9092) and serves HTTP admin and metrics on {@code server.port}
 * (8083).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BrokerApplication {

  public static void main(String[] args) {
    SpringApplication.run(BrokerApplication.class, args);
  }
}
