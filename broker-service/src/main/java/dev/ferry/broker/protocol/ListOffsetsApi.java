package dev.ferry.broker.protocol;

import dev.ferry.broker.partition.Partition;
import dev.ferry.broker.partition.PartitionManager;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * ListOffsets: the earliest offset ({@code -2}, and {@code -4} "earliest local", the same here as
 * there is no tiered storage), the latest ({@code -1}), the offset of the largest timestamp ({@code
 * -3}), or the first offset whose timestamp is at or after a given time, found through the
 * segments' time indexes. {@code -5} (latest tiered) has no answer without tiered storage and
 * returns offset -1, as Kafka does then.
 *
 * <p>Stateless and thread-safe.
 */
final class ListOffsetsApi {

  private final PartitionManager partitions;

  ListOffsetsApi(PartitionManager partitions) {
    this.partitions = partitions;
  }

  CompletableFuture<ApiMessage> listOffsets(RequestContext context, AbstractRequest request) {
    ListOffsetsRequestData data = ((ListOffsetsRequest) request).data();
    ListOffsetsResponseData response = new ListOffsetsResponseData();
    for (ListOffsetsRequestData.ListOffsetsTopic topic : data.topics()) {
      ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
      for (ListOffsetsRequestData.ListOffsetsPartition requested : topic.partitions()) {
        ListOffsetsPartitionResponse found =
            lookup(
                new TopicPartition(topic.name(), requested.partitionIndex()),
                requested.timestamp());
        // The leader epoch field exists from v4 on; older versions must leave it at its default.
        topicResponse.partitions().add(context.apiVersion() >= 4 ? found.setLeaderEpoch(0) : found);
      }
      response.topics().add(topicResponse);
    }
    return CompletableFuture.completedFuture(response);
  }

  private ListOffsetsPartitionResponse lookup(TopicPartition topicPartition, long timestamp) {
    ListOffsetsPartitionResponse response =
        new ListOffsetsPartitionResponse()
            .setPartitionIndex(topicPartition.partition())
            .setTimestamp(-1)
            .setOffset(-1);
    Optional<Partition> found = partitions.get(topicPartition);
    if (found.isEmpty()) {
      return response.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
    Partition partition = found.get();
    if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
        || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
      return response.setOffset(partition.logStartOffset());
    }
    if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
      return response.setOffset(partition.highWatermark());
    }
    if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
      return partition
          .maxTimestamp()
          .flatMap(partition::offsetForTimestamp)
          .map(largest -> response.setTimestamp(largest.timestamp).setOffset(largest.offset))
          .orElse(response);
    }
    if (timestamp < 0) {
      return response;
    }
    Optional<FileRecords.TimestampAndOffset> match = partition.offsetForTimestamp(timestamp);
    return match
        .map(hit -> response.setTimestamp(hit.timestamp).setOffset(hit.offset))
        .orElse(response);
  }
}
