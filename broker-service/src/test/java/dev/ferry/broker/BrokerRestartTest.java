package dev.ferry.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.broker.group.OffsetStore;
import dev.ferry.broker.log.DataDirectory;
import dev.ferry.broker.log.LogCleaner;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What must survive a restart of the broker on the same data directory. */
class BrokerRestartTest {

  @TempDir Path dataDir;

  @Test
  void committedOffsetsSurviveARestart() throws Exception {
    try (TestBroker broker = TestBroker.start(dataDir)) {
      broker.produce("committed", 10, 0);
      try (KafkaConsumer<String, String> consumer = broker.consumer("survivors")) {
        consumer.subscribe(List.of("committed"));
        assertThat(TestBroker.pollValues(consumer, 10)).hasSize(10);
        consumer.commitSync();
      }
    }
    try (TestBroker broker = TestBroker.start(dataDir)) {
      broker.produce("committed", 5, 10);
      try (KafkaConsumer<String, String> consumer = broker.consumer("survivors")) {
        TopicPartition partition = new TopicPartition("committed", 0);
        assertThat(consumer.committed(Set.of(partition)).get(partition).offset()).isEqualTo(10);
        consumer.subscribe(List.of("committed"));
        assertThat(TestBroker.pollValues(consumer, 5))
            .containsExactly("v10", "v11", "v12", "v13", "v14");
      }
      try (KafkaConsumer<String, String> consumer = broker.consumer("newcomers")) {
        consumer.subscribe(List.of("committed"));
        assertThat(TestBroker.pollValues(consumer, 15)).hasSize(15).startsWith("v0", "v1");
      }
    }
  }

  @Test
  void uncleanShutdownWithATornTailLosesNoAcknowledgedRecord() throws Exception {
    try (TestBroker broker =
        TestBroker.start(dataDir, Map.of("ferry.broker.log.flush-policy", "per-batch"))) {
      broker.produce("torn", 100, 0);
    }
    // What a crash mid-write leaves behind: no clean-shutdown marker and half a batch at the tail.
    Files.delete(dataDir.resolve(".clean-shutdown"));
    Path segment = dataDir.resolve("torn-0").resolve("00000000000000000000.log");
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.APPEND)) {
      channel.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 1, 0, 7}));
    }
    Files.delete(dataDir.resolve("torn-0").resolve("00000000000000000000.index"));
    try (TestBroker broker = TestBroker.start(dataDir)) {
      broker.produce("torn", 10, 100);
      try (KafkaConsumer<String, String> consumer = broker.consumer("after-crash")) {
        consumer.subscribe(List.of("torn"));
        List<String> values = TestBroker.pollValues(consumer, 110);
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

  /**
   * The offsets log compacted by the runtime cleaner while a group commits through a real consumer:
   * the group's committed offset reads back after every pass, a group that committed once before
   * the passes keeps its offset, and a restart, which replays the cleaned log, restores both.
   */
  @Test
  void groupsKeepTheirOffsetsWhileTheOffsetsLogIsCleanedAndAfterARestart() throws Exception {
    Map<String, Object> smallOffsetsSegments =
        Map.of("ferry.broker.groups.offsets-segment-bytes", 1024);
    TopicPartition partition = new TopicPartition("cleaned-offsets", 0);
    try (TestBroker broker = TestBroker.start(dataDir, smallOffsetsSegments)) {
      broker.produce("cleaned-offsets", 40, 0);
      try (KafkaConsumer<String, String> early = broker.consumer("early")) {
        early.subscribe(List.of("cleaned-offsets"));
        TestBroker.poll(early, 1);
        early.commitSync(Map.of(partition, new OffsetAndMetadata(7)));
      }
      OffsetStore offsets = broker.bean(OffsetStore.class);
      LogCleaner cleaner = broker.bean(LogCleaner.class);
      int segmentsReplaced = 0;
      try (KafkaConsumer<String, String> live = broker.consumer("live")) {
        live.subscribe(List.of("cleaned-offsets"));
        TestBroker.poll(live, 1);
        for (long offset = 1; offset <= 30; offset++) {
          live.commitSync(Map.of(partition, new OffsetAndMetadata(offset)));
          if (offset % 10 == 0) {
            segmentsReplaced += offsets.clean(cleaner).segmentsReplaced();
            assertThat(live.committed(Set.of(partition)).get(partition).offset()).isEqualTo(offset);
          }
        }
      }
      assertThat(segmentsReplaced).as("the cleaner compacted the offsets log").isPositive();
    }
    try (TestBroker broker = TestBroker.start(dataDir, smallOffsetsSegments)) {
      try (KafkaConsumer<String, String> early = broker.consumer("early")) {
        assertThat(early.committed(Set.of(partition)).get(partition).offset()).isEqualTo(7);
      }
      try (KafkaConsumer<String, String> live = broker.consumer("live")) {
        assertThat(live.committed(Set.of(partition)).get(partition).offset()).isEqualTo(30);
        live.subscribe(List.of("cleaned-offsets"));
        assertThat(TestBroker.pollValues(live, 10)).startsWith("v30").endsWith("v39");
      }
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
}
