package dev.ferry.broker.protocol;

import dev.ferry.broker.partition.AppendWaiters;
import dev.ferry.broker.partition.Partition;
import dev.ferry.broker.partition.PartitionManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchRequest;

/**
 * Fetch with long polling: reads every requested partition and, while fewer than {@code min_bytes}
 * are available and {@code max_wait_ms} has not passed, parks on {@link AppendWaiters} until an
 * append to one of the partitions or the deadline, then reads again.
 *
 * <p>Limits follow Kafka: each partition returns at most its {@code partition_max_bytes}, the whole
 * response at most {@code max_bytes}, except that the first batch of the first partition with data
 * is returned whole so a consumer always progresses past a batch larger than its limits. A read may
 * end mid-batch; clients drop the partial batch and fetch it next time.
 *
 * <p>Fetch sessions (KIP-227) are not kept: every response has session id 0, which tells the client
 * to send full fetch requests.
 *
 * <p>Zero copy: a partition's records are the {@link FileRecords} slice of its segment file, not a
 * copy; the dispatcher keeps them a file reference in the response {@code Send} and the network
 * layer sends them with {@code FileChannel.transferTo}. Only an empty read is in memory.
 *
 * <p>Stateless and thread-safe.
 */
final class FetchApi {

  private final PartitionManager partitions;
  private final AppendWaiters appendWaiters;
  private final Clock clock;
  private final TopicByteCounters bytesOut;

  FetchApi(
      PartitionManager partitions,
      AppendWaiters appendWaiters,
      Clock clock,
      MeterRegistry meterRegistry) {
    this.partitions = partitions;
    this.appendWaiters = appendWaiters;
    this.clock = clock;
    this.bytesOut =
        new TopicByteCounters(
            meterRegistry, "ferry.broker.fetch.bytes", "Record bytes returned by Fetch, by topic");
  }

  CompletableFuture<ApiMessage> fetch(RequestContext context, AbstractRequest request) {
    FetchRequestData data = ((FetchRequest) request).data();
    long deadlineMs = clock.millis() + Math.max(0, data.maxWaitMs());
    return attempt(data, deadlineMs);
  }

  private CompletableFuture<ApiMessage> attempt(FetchRequestData data, long deadlineMs) {
    Map<TopicPartition, Long> endOffsets = new LinkedHashMap<>();
    Result result = read(data, endOffsets);
    long remainingMs = deadlineMs - clock.millis();
    if (result.bytes() >= data.minBytes() || result.hasError() || remainingMs <= 0) {
      countBytes(result.response());
      return CompletableFuture.completedFuture(result.response());
    }
    return appendWaiters
        .await(endOffsets.keySet(), remainingMs, () -> grew(endOffsets))
        .thenCompose(ignored -> attempt(data, deadlineMs));
  }

  private void countBytes(FetchResponseData response) {
    for (FetchableTopicResponse topic : response.responses()) {
      long bytes = 0;
      for (PartitionData partition : topic.partitions()) {
        bytes += partition.records().sizeInBytes();
      }
      bytesOut.add(topic.topic(), bytes);
    }
  }

  private boolean grew(Map<TopicPartition, Long> endOffsets) {
    return endOffsets.entrySet().stream()
        .anyMatch(
            entry ->
                partitions
                    .get(entry.getKey())
                    .map(partition -> partition.logEndOffset() != entry.getValue())
                    .orElse(true));
  }

  private Result read(FetchRequestData data, Map<TopicPartition, Long> endOffsets) {
    FetchResponseData response = new FetchResponseData().setSessionId(0);
    int remainingBytes = data.maxBytes();
    int totalBytes = 0;
    boolean hasError = false;
    for (FetchRequestData.FetchTopic topic : data.topics()) {
      FetchableTopicResponse topicResponse =
          new FetchableTopicResponse().setTopic(topic.topic()).setTopicId(topic.topicId());
      for (FetchRequestData.FetchPartition requested : topic.partitions()) {
        TopicPartition topicPartition = new TopicPartition(topic.topic(), requested.partition());
        PartitionData partitionData = new PartitionData().setPartitionIndex(requested.partition());
        Optional<Partition> found = partitions.get(topicPartition);
        if (found.isEmpty()) {
          partitionData
              .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
              .setHighWatermark(-1)
              .setRecords(MemoryRecords.EMPTY);
          hasError = true;
        } else {
          Partition partition = found.get();
          endOffsets.put(topicPartition, partition.logEndOffset());
          partitionData
              .setHighWatermark(partition.highWatermark())
              .setLastStableOffset(partition.highWatermark())
              .setLogStartOffset(partition.logStartOffset());
          try {
            int limit = Math.max(0, Math.min(requested.partitionMaxBytes(), remainingBytes));
            Records records = partition.read(requested.fetchOffset(), limit, totalBytes == 0);
            partitionData.setRecords(records);
            totalBytes += records.sizeInBytes();
            remainingBytes -= records.sizeInBytes();
          } catch (ApiException e) {
            partitionData
                .setErrorCode(Errors.forException(e).code())
                .setRecords(MemoryRecords.EMPTY);
            hasError = true;
          }
        }
        topicResponse.partitions().add(partitionData);
      }
      response.responses().add(topicResponse);
    }
    return new Result(response, totalBytes, hasError);
  }

  private record Result(FetchResponseData response, int bytes, boolean hasError) {}
}
