package dev.ferry.broker.protocol;

import dev.ferry.broker.partition.Partition;
import dev.ferry.broker.partition.PartitionManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
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
 * batch is fsynced, since on a single node the leader is the whole in-sync replica set, unless
 * {@code log.acks-all-fsync=false} asks for Kafka's meaning without replicas (answered once
 * appended, like {@code 1}). A retried duplicate from an idempotent producer is answered with the
 * offset it was first written at.
 *
 * <p>The handler appends every partition's batch before it returns, then completes the response
 * once each partition's group commit covered its batch. The dispatcher treats the return as the
 * point from which the connection's next request may be handled (see {@link
 * RequestDispatcher#dispatch}): appends stay in the order sent while several requests of one
 * producer share an fsync.
 *
 * <p>Stateless and thread-safe.
 */
final class ProduceApi {

  private static final Logger log = LoggerFactory.getLogger(ProduceApi.class);

  private final PartitionManager partitions;
  private final MeterRegistry meterRegistry;
  private final TopicByteCounters bytesIn;
  private final boolean acksAllFsync;

  ProduceApi(PartitionManager partitions, MeterRegistry meterRegistry, boolean acksAllFsync) {
    this.partitions = partitions;
    this.meterRegistry = meterRegistry;
    this.acksAllFsync = acksAllFsync;
    this.bytesIn =
        new TopicByteCounters(
            meterRegistry, "ferry.broker.produce.bytes", "Record batch bytes appended, by topic");
  }

  CompletableFuture<ApiMessage> produce(RequestContext context, AbstractRequest request) {
    ProduceRequestData data = ((ProduceRequest) request).data();
    short acks = data.acks();
    ProduceResponseData response = new ProduceResponseData();
    List<CompletableFuture<Void>> appended = new ArrayList<>();
    for (ProduceRequestData.TopicProduceData topic : data.topicData()) {
      TopicProduceResponse topicResponse = new TopicProduceResponse().setName(topic.name());
      for (ProduceRequestData.PartitionProduceData partitionData : topic.partitionData()) {
        TopicPartition topicPartition = new TopicPartition(topic.name(), partitionData.index());
        PartitionProduceResponse partitionResponse =
            new PartitionProduceResponse()
                .setIndex(topicPartition.partition())
                .setBaseOffset(-1)
                .setLogAppendTimeMs(RecordBatch.NO_TIMESTAMP)
                .setLogStartOffset(-1);
        topicResponse.partitionResponses().add(partitionResponse);
        appended.add(
            append(
                topicPartition, (MemoryRecords) partitionData.records(), acks, partitionResponse));
      }
      response.responses().add(topicResponse);
    }
    return CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> acks == 0 ? null : response);
  }

  /** Partition-level errors, which the request timer does not see: the request itself succeeds. */
  private void countError(Errors error) {
    meterRegistry
        .counter("ferry.broker.partition.errors", "api", "Produce", "error", error.name())
        .increment();
  }

  /**
   * Appends one partition's batch and returns a future completed once {@code response} holds its
   * outcome; the future never fails, errors become the partition's error code.
   */
  private CompletableFuture<Void> append(
      TopicPartition topicPartition,
      MemoryRecords records,
      short acks,
      PartitionProduceResponse response) {
    if (acks != 0 && acks != 1 && acks != -1) {
      response.setErrorCode(Errors.INVALID_REQUIRED_ACKS.code());
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Partition.AppendResult> appended;
    try {
      appended = partitions.append(topicPartition, records, acks == -1 && acksAllFsync);
      bytesIn.add(topicPartition.topic(), records.sizeInBytes());
    } catch (ApiException e) {
      Errors error = Errors.forException(e);
      countError(error);
      response.setErrorCode(error.code()).setErrorMessage(e.getMessage());
      return CompletableFuture.completedFuture(null);
    } catch (Exception e) {
      storageError(topicPartition, response, e);
      return CompletableFuture.completedFuture(null);
    }
    return appended.handle(
        (result, failure) -> {
          if (failure != null) {
            storageError(topicPartition, response, failure);
          } else {
            response.setBaseOffset(result.baseOffset()).setLogStartOffset(result.logStartOffset());
          }
          return null;
        });
  }

  private void storageError(
      TopicPartition topicPartition, PartitionProduceResponse response, Throwable failure) {
    log.error("Appending to {} failed", topicPartition, failure);
    countError(Errors.KAFKA_STORAGE_ERROR);
    response.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
  }
}
