package dev.ferry.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise end to end: a broker process is killed with SIGKILL while an unmodified
 * idempotent producer with {@code acks=all} is sending, then restarted on the same port and data
 * directory. The producer's retries complete and a consumer reads every acknowledged record exactly
 * once.
 */
class BrokerProcessCrashTest {

  private static final int RECORDS = 3_000;

  @TempDir Path workDir;

  @Test
  void sigkillMidStreamLosesNoAcknowledgedRecordAndDuplicatesNone() throws Exception {
    int port = freePort();
    String bootstrap = "localhost:" + port;
    Process first = startBroker(port);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    try {
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin.createTopics(List.of(new NewTopic("crash", 2, (short) 1))).all().get();
      }
      try (KafkaProducer<String, String> producer = producer(bootstrap)) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
          String value = "r" + i;
          sends.add(
              producer.send(
                  new ProducerRecord<>("crash", value),
                  (metadata, error) -> {
                    if (error == null) {
                      acknowledged.add(value);
                    }
                  }));
          if (i == RECORDS / 3) {
            // Wait until some records are acknowledged, then kill the broker mid-stream.
            sends.get(i).get();
            first.destroyForcibly().waitFor();
            first = startBroker(port);
          }
        }
        producer.flush();
      }
      List<String> consumed = consumeAll(bootstrap);
      assertThat(consumed).doesNotHaveDuplicates();
      assertThat(consumed).containsAll(acknowledged);
      assertThat(acknowledged).hasSizeGreaterThan(RECORDS / 3);
    } finally {
      first.destroyForcibly().waitFor();
    }
  }

  /**
   * Group commit under a crash: many producers with {@code acks=all} send at once, so their batches
   * share fsyncs; the broker is killed mid-stream and restarted. Every send is eventually
   * acknowledged, and every record is read back exactly once.
   */
  @Test
  void concurrentDurableProducersAreAllAcknowledgedAndDurableAcrossSigkill() throws Exception {
    int producers = 8;
    int perProducer = 500;
    int port = freePort();
    String bootstrap = "localhost:" + port;
    Process broker = startBroker(port);
    try {
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin.createTopics(List.of(new NewTopic("crash", 2, (short) 1))).all().get();
      }
      List<KafkaProducer<String, String>> clients = new ArrayList<>();
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      Set<String> sent = new HashSet<>();
      try {
        for (int p = 0; p < producers; p++) {
          clients.add(producer(bootstrap));
        }
        for (int i = 0; i < perProducer; i++) {
          for (int p = 0; p < producers; p++) {
            String value = "p" + p + "-r" + i;
            sent.add(value);
            sends.add(clients.get(p).send(new ProducerRecord<>("crash", value)));
          }
          if (i == perProducer / 3) {
            sends.get(sends.size() - 1).get();
            broker.destroyForcibly().waitFor();
            broker = startBroker(port);
          }
        }
        for (Future<RecordMetadata> send : sends) {
          send.get();
        }
      } finally {
        clients.forEach(KafkaProducer::close);
      }
      broker.destroyForcibly().waitFor();
      broker = startBroker(port);
      List<String> consumed = consumeAll(bootstrap);
      assertThat(consumed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
    } finally {
      broker.destroyForcibly().waitFor();
    }
  }

  private Process startBroker(int port) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                // Start-up speed matters more than peak throughput for a short-lived test broker.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                BrokerApplication.class.getName(),
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--ferry.broker.listener.port=" + port,
                "--ferry.broker.data-dir=" + workDir.resolve("data"),
                "--ferry.broker.log.flush-policy=per-batch")
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(workDir.resolve("broker.out").toFile()))
            .start();
    while (!listening(port)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("broker process exited with " + process.exitValue());
      }
      Thread.sleep(100);
    }
    return process;
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket("localhost", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            120_000,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class));
  }

  private static List<String> consumeAll(String bootstrap) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          List.of(new TopicPartition("crash", 0), new TopicPartition("crash", 1));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("read to the end in time").isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
      }
    }
    return values;
  }
}
