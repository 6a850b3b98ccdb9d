package dev.ferry.broker.protocol;

import dev.ferry.broker.partition.Partition;
import dev.ferry.broker.partition.PartitionManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce: validates and appends each partition's batch and reports its base offset or error.
 *
 * <p>Acks: {@code 0} sends no response at all (the client does not read one); {@code 1} answers
 * once the batch is in the log (flushed per the flush policy); {@code -1} ("all") answers once the
 * batch is fsynced, since on a single node the leader is the whole in-sync replica set. A retried
 * duplicate from an idempotent producer is answered with the offset it was first written at.
 *
 * <p>Stateless and thread-safe; runs on a request-handler thread because appends may fsync.
 */
final class ProduceApi {

  private static final Logger log = LoggerFactory.getLogger(ProduceApi.class);

  private final PartitionManager partitions;
  private final MeterRegistry meterRegistry;
  private final Counter bytesIn;

  ProduceApi(PartitionManager partitions, MeterRegistry meterRegistry) {
    this.partitions = partitions;
    this.meterRegistry = meterRegistry;
    this.bytesIn = meterRegistry.counter("ferry.broker.produce.bytes");
  }

  CompletableFuture<ApiMessage> produce(RequestContext context, AbstractRequest request) {
    ProduceRequestData data = ((ProduceRequest) request).data();
    short acks = data.acks();
    ProduceResponseData response = new ProduceResponseData();
    for (ProduceRequestData.TopicProduceData topic : data.topicData()) {
      TopicProduceResponse topicResponse = new TopicProduceResponse().setName(topic.name());
      for (ProduceRequestData.PartitionProduceData partitionData : topic.partitionData()) {
        TopicPartition topicPartition = new TopicPartition(topic.name(), partitionData.index());
        topicResponse
            .partitionResponses()
            .add(append(topicPartition, (MemoryRecords) partitionData.records(), acks));
      }
      response.responses().add(topicResponse);
    }
    return CompletableFuture.completedFuture(acks == 0 ? null : response);
  }

  /** Partition-level errors, which the request timer does not see: the request itself succeeds. */
  private void countError(Errors error) {
    meterRegistry
        .counter("ferry.broker.partition.errors", "api", "Produce", "error", error.name())
        .increment();
  }

  private PartitionProduceResponse append(
      TopicPartition topicPartition, MemoryRecords records, short acks) {
    PartitionProduceResponse response =
        new PartitionProduceResponse()
            .setIndex(topicPartition.partition())
            .setBaseOffset(-1)
            .setLogAppendTimeMs(RecordBatch.NO_TIMESTAMP)
            .setLogStartOffset(-1);
    if (acks != 0 && acks != 1 && acks != -1) {
      return response.setErrorCode(Errors.INVALID_REQUIRED_ACKS.code());
    }
    try {
      Partition.AppendResult result = partitions.append(topicPartition, records, acks == -1);
      bytesIn.increment(records.sizeInBytes());
      return response.setBaseOffset(result.baseOffset()).setLogStartOffset(result.logStartOffset());
    } catch (ApiException e) {
      Errors error = Errors.forException(e);
      countError(error);
      return response.setErrorCode(error.code()).setErrorMessage(e.getMessage());
    } catch (Exception e) {
      log.error("Appending to {} failed", topicPartition, e);
      countError(Errors.KAFKA_STORAGE_ERROR);
      return response.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
    }
  }
}
