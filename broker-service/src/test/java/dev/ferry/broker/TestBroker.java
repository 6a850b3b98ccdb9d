package dev.ferry.broker;

import dev.ferry.broker.network.KafkaServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real broker-service application started in the test JVM on free ports with its own data
 * directory; {@link #close()} shuts it down cleanly. It is also the shared fixture of the tests
 * that talk to a broker: unmodified kafka-clients producers, consumers and admin clients configured
 * alike, and HTTP calls to its admin port.
 */
public final class TestBroker implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

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

  /** A default (so idempotent) producer of string keys and values. */
  public KafkaProducer<String, String> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
  }

  /** Sends values {@code v<firstValue>} … one by one without a key, each acknowledged. */
  public void produce(String topic, int count, int firstValue) throws Exception {
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = firstValue; i < firstValue + count; i++) {
        producer.send(new ProducerRecord<>(topic, "v" + i)).get();
      }
    }
  }

  /** A group member reading from the earliest offset and committing only when told to. */
  public KafkaConsumer<String, String> consumer(String group) {
    return consumer(group, Map.of());
  }

  /** {@link #consumer(String)} with further consumer settings. */
  public KafkaConsumer<String, String> consumer(String group, Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>(consumerConfig());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putAll(overrides);
    return new KafkaConsumer<>(config);
  }

  /** A consumer outside any group, for {@code assign} and {@code seek}. */
  public KafkaConsumer<String, String> consumer() {
    return new KafkaConsumer<>(consumerConfig());
  }

  private Map<String, Object> consumerConfig() {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /** Calls the HTTP admin port; {@code json} is the request body, or null for none. */
  public HttpResponse<String> http(String method, String path, String json)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort() + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The values of the next {@code count} records, see {@link #poll}. */
  public static List<String> pollValues(Consumer<String, String> consumer, int count) {
    return poll(consumer, count).stream().map(ConsumerRecord::value).toList();
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
