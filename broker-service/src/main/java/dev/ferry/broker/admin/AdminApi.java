package dev.ferry.broker.admin;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Map;

/** The request and response records of the HTTP admin API ({@code /api/v1}). */
final class AdminApi {

  private AdminApi() {}

  /** {@code POST /api/v1/topics}. */
  record CreateTopicRequest(
      @NotBlank String name, @Min(1) @Max(10000) Integer partitions, Map<String, String> configs) {}

  /** A topic in the topic list. */
  record TopicSummary(String name, String topicId, int partitions) {}

  /** One topic with its partitions' offsets and its effective configuration. */
  record TopicDetails(
      String name,
      String topicId,
      List<PartitionDetails> partitions,
      Map<String, String> configs) {}

  /** A partition's offsets and size; the high watermark is what consumers can read. */
  record PartitionDetails(
      int partition, String role, long logStartOffset, long highWatermark, long sizeBytes) {}

  /** A consumer group in the group list. */
  record GroupSummary(String groupId, String protocolType, String state) {}

  /** A consumer group with its members and its committed offsets and lag per partition. */
  record GroupDetails(
      String groupId,
      String state,
      String protocol,
      List<MemberDetails> members,
      List<OffsetDetails> offsets) {}

  record MemberDetails(String memberId, String groupInstanceId, String clientId, String host) {}

  /** Lag is the high watermark minus the committed offset, or null when unknown. */
  record OffsetDetails(
      String topic, int partition, long committedOffset, Long highWatermark, Long lag) {}
}
