package dev.ferry.broker;

import dev.ferry.broker.network.KafkaServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real broker-service application started in the test JVM on free ports with its own data
 * directory; {@link #close()} shuts it down cleanly, {@link #crash()} abandons it the way a killed
 * process would (no clean-shutdown marker, nothing flushed on the way out).
 */
public final class TestBroker implements AutoCloseable {

  private final ConfigurableApplicationContext context;
  private final Path dataDir;

  private TestBroker(ConfigurableApplicationContext context, Path dataDir) {
    this.context = context;
    this.dataDir = dataDir;
  }

  public static TestBroker start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  public static TestBroker start(Path dataDir, Map<String, Object> overrides) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("server.port", 0);
    properties.put("ferry.broker.listener.port", 0);
    properties.put("ferry.broker.data-dir", dataDir.toString());
    properties.put("spring.main.banner-mode", "off");
    properties.putAll(overrides);
    // Command-line arguments outrank application.yml, so the test's settings always win.
    String[] args =
        properties.entrySet().stream()
            .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
            .toArray(String[]::new);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(BrokerApplication.class).run(args);
    return new TestBroker(context, dataDir);
  }

  /**
   * Polls until {@code count} records arrived. The generous deadline only turns a broken broker
   * into a failure instead of a hung build; it asserts nothing about speed.
   */
  public static <K, V> List<ConsumerRecord<K, V>> poll(Consumer<K, V> consumer, int count) {
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (records.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("received " + records.size() + " of " + count + " records");
      }
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }

  public String bootstrapServers() {
    return "localhost:" + context.getBean(KafkaServer.class).port();
  }

  public int httpPort() {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    context.close();
  }
}
