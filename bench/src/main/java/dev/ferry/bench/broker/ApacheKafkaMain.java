package dev.ferry.bench.broker;

import dev.ferry.testkit.EmbeddedKafkaServer;

/**
 * Apache Kafka (KRaft, single node, from the Maven artifacts) in a process of its own, so that it
 * and broker-service are measured alike. Argument: the port. Runs until killed.
 */
public final class ApacheKafkaMain {

  private ApacheKafkaMain() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(Integer.parseInt(args[0]), 6);
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
    System.out.println("ready " + kafka.bootstrapServers());
    Thread.currentThread().join();
  }
}
