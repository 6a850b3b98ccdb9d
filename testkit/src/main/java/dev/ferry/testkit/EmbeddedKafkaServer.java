package dev.ferry.testkit;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller, no ZooKeeper), started
 * in-process from the Kafka server artifacts through {@code spring-kafka-test}.
 *
 * <p>{@link #shared()} starts once per JVM and stops when it exits; {@link #start(int, int)} gives
 * a broker on a chosen port (0 for any) for the local stack or for tests that need their own.
 * Thread-safe: lifecycle methods are synchronized.
 */
public final class EmbeddedKafkaServer implements AutoCloseable {

  private static final int DEFAULT_PARTITIONS = 3;
  private static EmbeddedKafkaServer shared;

  private final EmbeddedKafkaKraftBroker broker;
  private boolean closed;

  private EmbeddedKafkaServer(EmbeddedKafkaKraftBroker broker) {
    this.broker = broker;
  }

  /** The broker shared by every test in this JVM, started on first use. */
  public static synchronized EmbeddedKafkaServer shared() {
    if (shared == null) {
      shared = start(0, DEFAULT_PARTITIONS);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-kafka-stop"));
    }
    return shared;
  }

  /**
   * Starts a broker listening on {@code port} (0 picks a free one) whose auto-created topics get
   * {@code partitions} partitions.
   */
  public static EmbeddedKafkaServer start(int port, int partitions) {
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, partitions).kafkaPorts(port);
    broker.brokerProperties(
        Map.of(
            "auto.create.topics.enable", "true",
            "num.partitions", String.valueOf(partitions),
            "group.initial.rebalance.delay.ms", "0",
            "offsets.topic.replication.factor", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1"));
    broker.afterPropertiesSet();
    return new EmbeddedKafkaServer(broker);
  }

  /** The {@code bootstrap.servers} value clients use. */
  public String bootstrapServers() {
    return broker.getBrokersAsString();
  }

  /** Points Spring Kafka's {@code spring.kafka.bootstrap-servers} at this broker. */
  public void registerProperties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", this::bootstrapServers);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      broker.destroy();
    }
  }
}
