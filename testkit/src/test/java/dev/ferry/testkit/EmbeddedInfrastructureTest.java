package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

class EmbeddedInfrastructureTest {

  @Test
  void sharedPostgresIsStartedOnceAndIsolatesTestsByDatabase() throws Exception {
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.shared();
    assertThat(EmbeddedPostgresServer.shared()).isSameAs(postgres);

    String first = postgres.createDatabase("infra-test");
    String second = postgres.createDatabase("infra-test");
    assertThat(first).isNotEqualTo(second).startsWith("infra_test_");

    try (Connection connection = postgres.dataSource(first).getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (v int)");
      statement.execute("INSERT INTO t VALUES (42)");
      ResultSet rows = statement.executeQuery("SELECT v, version() FROM t");
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(42);
      assertThat(rows.getString(2)).startsWith("PostgreSQL");
    }
    try (Connection connection = postgres.dataSource(second).getConnection();
        Statement statement = connection.createStatement()) {
      ResultSet tables =
          statement.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 't'");
      tables.next();
      assertThat(tables.getInt(1)).as("a fresh database sees no table of another").isZero();
    }
  }

  @Test
  void secondPostgresServerIsAnIndependentPhysicalDatabase() throws Exception {
    try (EmbeddedPostgresServer other = EmbeddedPostgresServer.start()) {
      assertThat(other.port()).isNotEqualTo(EmbeddedPostgresServer.shared().port());
      try (Connection connection = other.dataSource("postgres").getConnection()) {
        assertThat(connection.isValid(5)).isTrue();
      }
    }
  }

  @Test
  void redisAnswersAndSurvivesARestartOnTheSamePort() throws Exception {
    try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
      try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
        jedis.set("ferry", "ok");
        assertThat(jedis.get("ferry")).isEqualTo("ok");
      }
      redis.stop();
      redis.restart();
      try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
        assertThat(jedis.ping()).isEqualTo("PONG");
      }
    }
  }

  @Test
  void kafkaListensOnTheAskedPortAndKeepsAPersistentLogAcrossRestarts(@TempDir Path data)
      throws Exception {
    int port = FreePorts.find();
    String topic = "persistent-" + UUID.randomUUID();
    try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.startPersistent(port, 1, data)) {
      assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + port);
      produce(kafka, topic, "before restart");
    }
    try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.startPersistent(port, 1, data)) {
      assertThat(consume(kafka, topic)).containsExactly("before restart");
    }
  }

  @Test
  void kafkaCarriesARecordFromAProducerToAConsumer() throws Exception {
    EmbeddedKafkaServer kafka = EmbeddedKafkaServer.shared();
    String topic = "infra-" + UUID.randomUUID();
    produce(kafka, topic, "hello");
    assertThat(consume(kafka, topic)).containsExactly("hello");
  }

  private static void produce(EmbeddedKafkaServer kafka, String topic, String value)
      throws Exception {
    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (var producer = new KafkaProducer<String, String>(producerConfig)) {
      producer.send(new ProducerRecord<>(topic, "key", value)).get();
    }
  }

  private static List<String> consume(EmbeddedKafkaServer kafka, String topic) {
    Map<String, Object> consumerConfig =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "infra-test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class);
    List<String> received = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, String>(consumerConfig)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          received.add(record.value());
        }
      }
    }
    return received;
  }
}
