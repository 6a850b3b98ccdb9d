package dev.ferry.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Byte-level conformance: what a broker must answer to well-formed and malformed requests. */
class ProtocolConformanceTest {

  static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = SharedBroker.get();
  }

  static RawKafkaClient connect() throws IOException {
    return new RawKafkaClient(broker.bootstrapServers());
  }

  static void createTopic(RawKafkaClient client, String topic) throws IOException {
    MetadataResponse response =
        client.send(
            ApiKeys.METADATA,
            (short) 12,
            new MetadataRequestData()
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic)))
                .setAllowAutoTopicCreation(true));
    assertThat(response.data().topics().find(topic).errorCode()).isZero();
  }

  static ProduceRequestData produce(
      String topic, int partition, MemoryRecords records, short acks) {
    ProduceRequestData.TopicProduceDataCollection topics =
        new ProduceRequestData.TopicProduceDataCollection();
    topics.add(
        new ProduceRequestData.TopicProduceData()
            .setName(topic)
            .setPartitionData(
                List.of(
                    new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition)
                        .setRecords(records))));
    return new ProduceRequestData().setAcks(acks).setTimeoutMs(10_000).setTopicData(topics);
  }

  static ProduceResponseData.PartitionProduceResponse partitionResult(ProduceResponse response) {
    return response.data().responses().iterator().next().partitionResponses().get(0);
  }

  static MemoryRecords records(String... values) {
    SimpleRecord[] records = new SimpleRecord[values.length];
    for (int i = 0; i < values.length; i++) {
      records[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
    }
    return MemoryRecords.withRecords(Compression.NONE, records);
  }

  static long latestOffset(RawKafkaClient client, String topic) throws IOException {
    ListOffsetsRequestData request =
        new ListOffsetsRequestData()
            .setReplicaId(-1)
            .setTopics(
                List.of(
                    new ListOffsetsRequestData.ListOffsetsTopic()
                        .setName(topic)
                        .setPartitions(
                            List.of(
                                new ListOffsetsRequestData.ListOffsetsPartition()
                                    .setPartitionIndex(0)
                                    .setTimestamp(-1)))));
    ListOffsetsResponse response = client.send(ApiKeys.LIST_OFFSETS, (short) 9, request);
    return response.data().topics().get(0).partitions().get(0).offset();
  }

  @Test
  void apiVersionsAdvertisesTheImplementedRanges() throws IOException {
    try (RawKafkaClient client = connect()) {
      ApiVersionsResponse response =
          client.send(
              ApiKeys.API_VERSIONS,
              (short) 3,
              new ApiVersionsRequestData()
                  .setClientSoftwareName("raw")
                  .setClientSoftwareVersion("1"));
      assertThat(response.data().errorCode()).isZero();
      ApiVersionsResponseData.ApiVersion produce =
          response.data().apiKeys().find(ApiKeys.PRODUCE.id);
      assertThat(produce.minVersion()).isEqualTo((short) 3);
      assertThat(produce.maxVersion()).isEqualTo((short) 12);
      assertThat(response.data().apiKeys()).hasSize(19);
    }
  }

  @Test
  void apiVersionsAtAnUnknownVersionGetsUnsupportedVersionInV0WithTheRanges() throws IOException {
    try (RawKafkaClient client = connect()) {
      // Header v2 for ApiVersions v9, which no kafka-clients knows: key, version, correlation id,
      // client id, empty tagged fields; then an empty body.
      ByteBuffer frame = ByteBuffer.allocate(32);
      frame.putShort(ApiKeys.API_VERSIONS.id).putShort((short) 9).putInt(77);
      frame.putShort((short) 3).put("raw".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
      frame.put((byte) 0).put((byte) 0).put((byte) 0);
      frame.flip();
      client.writeFrame(frame.array(), 0, frame.limit());
      ByteBuffer response = ByteBuffer.wrap(client.readFrame());
      assertThat(response.getInt()).isEqualTo(77);
      ApiVersionsResponseData data =
          new ApiVersionsResponseData(new ByteBufferAccessor(response), (short) 0);
      assertThat(data.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
      assertThat(data.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion()).isEqualTo((short) 4);
    }
  }

  @Test
  void unimplementedApiGetsUnsupportedVersionAndTheConnectionStaysUsable() throws IOException {
    try (RawKafkaClient client = connect()) {
      CreatePartitionsRequestData request =
          new CreatePartitionsRequestData()
              .setTimeoutMs(1_000)
              .setTopics(
                  new CreatePartitionsRequestData.CreatePartitionsTopicCollection(
                      List.of(
                              new CreatePartitionsRequestData.CreatePartitionsTopic()
                                  .setName("any")
                                  .setCount(2))
                          .iterator()));
      CreatePartitionsResponse response =
          client.send(ApiKeys.CREATE_PARTITIONS, (short) 3, request);
      assertThat(response.data().results().get(0).errorCode())
          .isEqualTo(Errors.UNSUPPORTED_VERSION.code());
      ApiVersionsResponse next =
          client.send(ApiKeys.API_VERSIONS, (short) 0, new ApiVersionsRequestData());
      assertThat(next.data().errorCode()).isZero();
    }
  }

  @Test
  void frameLargerThanTheMaximumClosesTheConnection() throws IOException {
    try (RawKafkaClient client = connect()) {
      client.writeRaw(ByteBuffer.allocate(8).putInt(1 << 30).putInt(0).array());
      assertThat(client.isClosedByBroker()).isTrue();
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    try (RawKafkaClient client = connect()) {
      List<Integer> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ApiKeys api = i % 2 == 0 ? ApiKeys.API_VERSIONS : ApiKeys.METADATA;
        ApiMessageFactory body =
            i % 2 == 0 ? ApiVersionsRequestData::new : () -> new MetadataRequestData();
        sent.add(
            client.send(api, (short) (i % 2 == 0 ? 0 : 12), body.create(), "c").correlationId());
      }
      List<Integer> received = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        received.add(ByteBuffer.wrap(client.readFrame()).getInt());
      }
      assertThat(received).containsExactlyElementsOf(sent);
    }
  }

  interface ApiMessageFactory {
    org.apache.kafka.common.protocol.ApiMessage create();
  }

  @Test
  void metadataForAnInvalidTopicNameGetsInvalidTopicException() throws IOException {
    try (RawKafkaClient client = connect()) {
      MetadataResponse response =
          client.send(
              ApiKeys.METADATA,
              (short) 12,
              new MetadataRequestData()
                  .setTopics(
                      List.of(new MetadataRequestData.MetadataRequestTopic().setName("bad name!")))
                  .setAllowAutoTopicCreation(true));
      assertThat(response.data().topics().find("bad name!").errorCode())
          .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
    }
  }

  @Test
  void produceErrorsCarryTheKafkaErrorCodes() throws IOException {
    try (RawKafkaClient client = connect()) {
      createTopic(client, "errors");

      MemoryRecords corrupt = records("a", "b", "c");
      corrupt.buffer().put(70, (byte) (corrupt.buffer().get(70) ^ 0x5a));
      assertThat(
              partitionResult(
                      client.send(
                          ApiKeys.PRODUCE, (short) 9, produce("errors", 0, corrupt, (short) 1)))
                  .errorCode())
          .isEqualTo(Errors.CORRUPT_MESSAGE.code());

      MemoryRecords tooLarge = records("x".repeat(SharedBroker.MAX_MESSAGE_BYTES * 2));
      assertThat(
              partitionResult(
                      client.send(
                          ApiKeys.PRODUCE, (short) 9, produce("errors", 0, tooLarge, (short) 1)))
                  .errorCode())
          .isEqualTo(Errors.MESSAGE_TOO_LARGE.code());

      assertThat(
              partitionResult(
                      client.send(
                          ApiKeys.PRODUCE,
                          (short) 9,
                          produce("errors", 9, records("a"), (short) 1)))
                  .errorCode())
          .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

      assertThat(
              partitionResult(
                      client.send(
                          ApiKeys.PRODUCE,
                          (short) 9,
                          produce("errors", 0, records("a"), (short) 2)))
                  .errorCode())
          .isEqualTo(Errors.INVALID_REQUIRED_ACKS.code());

      assertThat(latestOffset(client, "errors")).isZero();
    }
  }

  @Test
  void idempotentRetryIsAcknowledgedWithoutBeingWrittenTwice() throws IOException {
    try (RawKafkaClient client = connect()) {
      createTopic(client, "idempotent");
      InitProducerIdResponse init =
          client.send(
              ApiKeys.INIT_PRODUCER_ID,
              (short) 4,
              new InitProducerIdRequestData()
                  .setTransactionalId(null)
                  .setTransactionTimeoutMs(-1)
                  .setProducerId(-1)
                  .setProducerEpoch((short) -1));
      assertThat(init.data().errorCode()).isZero();
      long producerId = init.data().producerId();

      MemoryRecords first = idempotent(producerId, 0, "a", "b", "c");
      ProduceResponse written =
          client.send(ApiKeys.PRODUCE, (short) 9, produce("idempotent", 0, first, (short) -1));
      ProduceResponse retried =
          client.send(
              ApiKeys.PRODUCE,
              (short) 9,
              produce("idempotent", 0, idempotent(producerId, 0, "a", "b", "c"), (short) -1));
      assertThat(partitionResult(written).errorCode()).isZero();
      assertThat(partitionResult(retried).errorCode()).isZero();
      assertThat(partitionResult(retried).baseOffset())
          .isEqualTo(partitionResult(written).baseOffset());
      assertThat(latestOffset(client, "idempotent")).isEqualTo(3);

      ProduceResponse gap =
          client.send(
              ApiKeys.PRODUCE,
              (short) 9,
              produce("idempotent", 0, idempotent(producerId, 7, "z"), (short) -1));
      assertThat(partitionResult(gap).errorCode())
          .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());

      ProduceResponse next =
          client.send(
              ApiKeys.PRODUCE,
              (short) 9,
              produce("idempotent", 0, idempotent(producerId, 3, "d"), (short) -1));
      assertThat(partitionResult(next).baseOffset()).isEqualTo(3);
      assertThat(latestOffset(client, "idempotent")).isEqualTo(4);
    }
  }

  static MemoryRecords idempotent(long producerId, int baseSequence, String... values) {
    SimpleRecord[] records = new SimpleRecord[values.length];
    for (int i = 0; i < values.length; i++) {
      records[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
    }
    return MemoryRecords.withIdempotentRecords(
        Compression.NONE, producerId, (short) 0, baseSequence, records);
  }

  @Test
  void longPollFetchIsAnsweredWhenRecordsArrive() throws Exception {
    try (RawKafkaClient fetcher = connect();
        RawKafkaClient producer = connect()) {
      createTopic(fetcher, "long-poll");
      FetchRequestData fetch =
          new FetchRequestData()
              .setReplicaId(-1)
              .setMaxWaitMs(60_000)
              .setMinBytes(1)
              .setMaxBytes(1 << 20)
              .setSessionId(0)
              .setSessionEpoch(-1)
              .setTopics(
                  List.of(
                      new FetchRequestData.FetchTopic()
                          .setTopic("long-poll")
                          .setPartitions(
                              List.of(
                                  new FetchRequestData.FetchPartition()
                                      .setPartition(0)
                                      .setFetchOffset(0)
                                      .setPartitionMaxBytes(1 << 20)))));
      CompletableFuture<FetchResponse> pending =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return fetcher.send(ApiKeys.FETCH, (short) 12, fetch);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      ProduceResponse produced =
          producer.send(
              ApiKeys.PRODUCE, (short) 9, produce("long-poll", 0, records("hello"), (short) 1));
      assertThat(partitionResult(produced).errorCode()).isZero();

      FetchResponseData.PartitionData partition =
          pending.get().data().responses().get(0).partitions().get(0);
      assertThat(partition.errorCode()).isZero();
      assertThat(partition.highWatermark()).isEqualTo(1);
      List<String> values = new ArrayList<>();
      for (RecordBatch batch : ((MemoryRecords) partition.records()).batches()) {
        for (Record record : batch) {
          values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
        }
      }
      assertThat(values).containsExactly("hello");
    }
  }
}
