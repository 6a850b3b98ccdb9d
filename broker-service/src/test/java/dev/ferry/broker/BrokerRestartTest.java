package dev.ferry.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.broker.log.DataDirectory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What must survive a restart of the broker on the same data directory. */
class BrokerRestartTest {

  @TempDir Path dataDir;

  @Test
  void committedOffsetsSurviveARestart() throws Exception {
    try (TestBroker broker = TestBroker.start(dataDir)) {
      produce(broker, "committed", 10);
      try (KafkaConsumer<String, String> consumer = consumer(broker, "survivors")) {
        consumer.subscribe(List.of("committed"));
        assertThat(poll(consumer, 10)).hasSize(10);
        consumer.commitSync();
      }
    }
    try (TestBroker broker = TestBroker.start(dataDir)) {
      produce(broker, "committed", 5, 10);
      try (KafkaConsumer<String, String> consumer = consumer(broker, "survivors")) {
        TopicPartition partition = new TopicPartition("committed", 0);
        assertThat(consumer.committed(Set.of(partition)).get(partition).offset()).isEqualTo(10);
        consumer.subscribe(List.of("committed"));
        assertThat(poll(consumer, 5)).containsExactly("v10", "v11", "v12", "v13", "v14");
      }
      try (KafkaConsumer<String, String> consumer = consumer(broker, "newcomers")) {
        consumer.subscribe(List.of("committed"));
        assertThat(poll(consumer, 15)).hasSize(15).startsWith("v0", "v1");
      }
    }
  }

  @Test
  void uncleanShutdownWithATornTailLosesNoAcknowledgedRecord() throws Exception {
    try (TestBroker broker =
        TestBroker.start(dataDir, Map.of("ferry.broker.log.flush-policy", "per-batch"))) {
      produce(broker, "torn", 100);
    }
    // What a crash mid-write leaves behind: no clean-shutdown marker and half a batch at the tail.
    Files.delete(dataDir.resolve(".clean-shutdown"));
    Path segment = dataDir.resolve("torn-0").resolve("00000000000000000000.log");
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.APPEND)) {
      channel.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 1, 0, 7}));
    }
    Files.delete(dataDir.resolve("torn-0").resolve("00000000000000000000.index"));
    try (TestBroker broker = TestBroker.start(dataDir)) {
      produce(broker, "torn", 10, 100);
      try (KafkaConsumer<String, String> consumer = consumer(broker, "after-crash")) {
        consumer.subscribe(List.of("torn"));
        List<String> values = poll(consumer, 110);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 110; i++) {
          expected.add("v" + i);
        }
        assertThat(values).containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void idempotentProducerStateSurvivesARestart() throws Exception {
    long producerId;
    long firstOffset;
    try (TestBroker broker = TestBroker.start(dataDir);
        RawKafkaClient client = new RawKafkaClient(broker.bootstrapServers())) {
      ProtocolConformanceTest.createTopic(client, "dedup");
      InitProducerIdResponse init =
          client.send(
              ApiKeys.INIT_PRODUCER_ID,
              (short) 4,
              new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(-1));
      producerId = init.data().producerId();
      ProduceResponse written =
          client.send(
              ApiKeys.PRODUCE,
              (short) 9,
              ProtocolConformanceTest.produce(
                  "dedup",
                  0,
                  ProtocolConformanceTest.idempotent(producerId, 0, "a", "b"),
                  (short) -1));
      firstOffset = ProtocolConformanceTest.partitionResult(written).baseOffset();
    }
    try (TestBroker broker = TestBroker.start(dataDir);
        RawKafkaClient client = new RawKafkaClient(broker.bootstrapServers())) {
      ProduceResponse retried =
          client.send(
              ApiKeys.PRODUCE,
              (short) 9,
              ProtocolConformanceTest.produce(
                  "dedup",
                  0,
                  ProtocolConformanceTest.idempotent(producerId, 0, "a", "b"),
                  (short) -1));
      assertThat(ProtocolConformanceTest.partitionResult(retried).errorCode()).isZero();
      assertThat(ProtocolConformanceTest.partitionResult(retried).baseOffset())
          .isEqualTo(firstOffset);
      assertThat(ProtocolConformanceTest.latestOffset(client, "dedup")).isEqualTo(2);

      InitProducerIdResponse next =
          client.send(
              ApiKeys.INIT_PRODUCER_ID,
              (short) 4,
              new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(-1));
      assertThat(next.data().producerId()).isNotEqualTo(producerId);
    }
  }

  @Test
  void aSecondBrokerOnTheSameDataDirectoryRefusesToStart() {
    try (TestBroker broker = TestBroker.start(dataDir)) {
      assertThatThrownBy(() -> TestBroker.start(dataDir))
          .rootCause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another broker");
      assertThat(broker.bean(DataDirectory.class).recoveryNeeded()).isFalse();
    }
  }

  static void produce(TestBroker broker, String topic, int count) throws Exception {
    produce(broker, topic, count, 0);
  }

  static void produce(TestBroker broker, String topic, int count, int firstValue) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
      for (int i = firstValue; i < firstValue + count; i++) {
        producer.send(new ProducerRecord<>(topic, "v" + i)).get();
      }
    }
  }

  static KafkaConsumer<String, String> consumer(TestBroker broker, String group) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    return new KafkaConsumer<>(config);
  }

  static List<String> poll(KafkaConsumer<String, String> consumer, int count) {
    return TestBroker.poll(consumer, count).stream().map(ConsumerRecord::value).toList();
  }
}
