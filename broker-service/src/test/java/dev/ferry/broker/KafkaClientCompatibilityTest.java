package dev.ferry.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KafkaClientCompatibilityTest {

  static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = SharedBroker.get();
  }

  @Test
  void consumerGroupReadsEveryProducedRecordInOrderPerPartition() throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1))).all().get();
    }
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      for (int i = 0; i < 300; i++) {
        producer.send(new ProducerRecord<>("orders", "key-" + (i % 7), "value-" + i));
      }
      producer.flush();
    }
    Map<Integer, List<ConsumerRecord<String, String>>> byPartition = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = consumer("orders-group")) {
      consumer.subscribe(List.of("orders"));
      for (ConsumerRecord<String, String> record : TestBroker.poll(consumer, 300)) {
        byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
      }
    }
    assertThat(byPartition.values().stream().mapToInt(List::size).sum()).isEqualTo(300);
    for (List<ConsumerRecord<String, String>> records : byPartition.values()) {
      for (int i = 0; i < records.size(); i++) {
        assertThat(records.get(i).offset()).isEqualTo(i);
        if (i > 0) {
          int previous = Integer.parseInt(records.get(i - 1).value().substring(6));
          assertThat(Integer.parseInt(records.get(i).value().substring(6))).isGreaterThan(previous);
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "0, none",
    "1, gzip",
    "all, snappy",
    "1, lz4",
    "all, zstd",
    "all, none",
  })
  void everyAcksAndCompressionSettingIsReadBack(String acks, String compression) throws Exception {
    String topic = "variants-" + acks + "-" + compression;
    Map<String, Object> settings = new HashMap<>();
    settings.put(ProducerConfig.ACKS_CONFIG, acks);
    settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all"));
    settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    List<String> sent = new ArrayList<>();
    try (KafkaProducer<String, String> producer = producer(settings)) {
      for (int i = 0; i < 50; i++) {
        String value = compression + "-" + i + "-" + "x".repeat(i * 10);
        sent.add(value);
        producer.send(new ProducerRecord<>(topic, value));
      }
      producer.flush();
    }
    try (KafkaConsumer<String, String> consumer = consumer(null)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      List<String> received =
          TestBroker.poll(consumer, sent.size()).stream().map(ConsumerRecord::value).toList();
      assertThat(received).containsExactlyElementsOf(sent);
    }
  }

  @Test
  void consumerGroupOfThreeRebalancesWhenOneLeavesAndConsumesEveryRecordOnce() throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic("rebalance", 4, (short) 1))).all().get();
    }
    produceTo("rebalance", 0, 300);
    List<String> consumed = new ArrayList<>();
    try (KafkaConsumer<String, String> first = consumer("rebalance-group", 20);
        KafkaConsumer<String, String> second = consumer("rebalance-group", 20)) {
      first.subscribe(List.of("rebalance"));
      TestBroker.poll(first, 60).forEach(record -> consumed.add(record.value()));
      second.subscribe(List.of("rebalance"));
      try (KafkaConsumer<String, String> third = consumer("rebalance-group", 20)) {
        third.subscribe(List.of("rebalance"));
        List<KafkaConsumer<String, String>> all = List.of(first, second, third);
        pollUntil(all, consumed, () -> all.stream().noneMatch(c -> c.assignment().isEmpty()));
        assertThat(all.stream().mapToInt(c -> c.assignment().size()).sum()).isEqualTo(4);
        try (Admin admin = admin()) {
          ConsumerGroupDescription group =
              admin
                  .describeConsumerGroups(List.of("rebalance-group"))
                  .all()
                  .get()
                  .get("rebalance-group");
          assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
          assertThat(group.members()).hasSize(3);
        }
      }
      // The third member has left; the other two take over its partitions.
      produceTo("rebalance", 300, 300);
      List<KafkaConsumer<String, String>> remaining = List.of(first, second);
      pollUntil(
          remaining,
          consumed,
          () ->
              consumed.size() >= 600
                  && first.assignment().size() + second.assignment().size() == 4);
      try (Admin admin = admin()) {
        assertThat(admin.listGroups().all().get())
            .extracting(listing -> listing.groupId())
            .contains("rebalance-group");
      }
    }
    assertThat(consumed).hasSize(600).doesNotHaveDuplicates();
  }

  private void produceTo(String topic, int first, int count) throws Exception {
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      for (int i = first; i < first + count; i++) {
        producer.send(new ProducerRecord<>(topic, i % 4, null, "r" + i));
      }
      producer.flush();
    }
  }

  /** Polls every consumer in turn from this one thread until {@code done} holds. */
  private static void pollUntil(
      List<KafkaConsumer<String, String>> consumers, List<String> consumed, BooleanSupplier done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("group settled in time").isLessThan(deadline);
      for (KafkaConsumer<String, String> consumer : consumers) {
        consumer.poll(Duration.ofMillis(100)).forEach(record -> consumed.add(record.value()));
      }
    }
  }

  @Test
  void offsetLookupsByTimestampEarliestLatestAndMaxTimestamp() throws Exception {
    long base = 1_700_000_000_000L;
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("timed", 0, base + i * 1_000L, null, "t" + i)).get();
      }
    }
    TopicPartition partition = new TopicPartition("timed", 0);
    try (KafkaConsumer<String, String> consumer = consumer(null)) {
      assertThat(consumer.offsetsForTimes(Map.of(partition, base + 4_500)).get(partition).offset())
          .isEqualTo(5);
      assertThat(consumer.offsetsForTimes(Map.of(partition, base)).get(partition).offset())
          .isZero();
      assertThat(consumer.offsetsForTimes(Map.of(partition, base + 60_000)).get(partition))
          .isNull();
      assertThat(consumer.beginningOffsets(List.of(partition))).containsEntry(partition, 0L);
      assertThat(consumer.endOffsets(List.of(partition))).containsEntry(partition, 10L);
    }
    try (Admin admin = admin()) {
      ListOffsetsResult.ListOffsetsResultInfo max =
          admin
              .listOffsets(Map.of(partition, OffsetSpec.maxTimestamp()))
              .partitionResult(partition)
              .get();
      assertThat(max.offset()).isEqualTo(9);
      assertThat(max.timestamp()).isEqualTo(base + 9_000);
      ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, "1");
      assertThat(
              admin
                  .describeConfigs(List.of(brokerResource))
                  .all()
                  .get()
                  .get(brokerResource)
                  .get("segment.bytes")
                  .value())
          .isEqualTo("1073741824");
    }
  }

  @Test
  void adminClientCreatesListsDescribesAndDeletesTopics() throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("admin-topic", 2, (short) 1)
                      .configs(Map.of("retention.ms", "3600000"))))
          .all()
          .get();
      assertThat(admin.listTopics().names().get()).contains("admin-topic");
      TopicDescription description =
          admin.describeTopics(List.of("admin-topic")).allTopicNames().get().get("admin-topic");
      assertThat(description.partitions()).hasSize(2);
      assertThat(description.topicId()).isNotEqualTo(Uuid.ZERO_UUID);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "admin-topic");
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
      assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");

      assertThatThrownBy(
              () ->
                  admin
                      .createTopics(List.of(new NewTopic("admin-topic", 1, (short) 1)))
                      .all()
                      .get())
          .hasCauseInstanceOf(TopicExistsException.class);
      assertThatThrownBy(
              () -> admin.createTopics(List.of(new NewTopic("bad/name", 1, (short) 1))).all().get())
          .hasCauseInstanceOf(InvalidTopicException.class);
      assertThatThrownBy(
              () ->
                  admin
                      .createTopics(List.of(new NewTopic("__consumer_offsets", 1, (short) 1)))
                      .all()
                      .get())
          .hasCauseInstanceOf(InvalidTopicException.class);
      assertThatThrownBy(
              () ->
                  admin
                      .createTopics(
                          List.of(
                              new NewTopic("shredded", 1, (short) 1)
                                  .configs(Map.of("cleanup.policy", "shred"))))
                      .all()
                      .get())
          .hasCauseInstanceOf(InvalidConfigurationException.class);

      admin.deleteTopics(List.of("admin-topic")).all().get();
      assertThat(admin.listTopics().names().get()).doesNotContain("admin-topic");
      assertThat(admin.describeCluster().clusterId().get()).isNotBlank();
    }
  }

  Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  KafkaProducer<String, String> producer(Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.putAll(overrides);
    return new KafkaProducer<>(config);
  }

  KafkaConsumer<String, String> consumer(String group) {
    return consumer(group, 500);
  }

  KafkaConsumer<String, String> consumer(String group, int maxPollRecords) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    if (group != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    return new KafkaConsumer<>(config);
  }
}
