package dev.ferry.broker.lag;

import dev.ferry.broker.group.GroupCommands.CommittedOffset;
import dev.ferry.broker.group.GroupCommands.GroupListing;
import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.partition.Partition;
import dev.ferry.broker.partition.PartitionManager;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag, the one definition that the HTTP admin API and the {@code ferry.broker.group.lag}
 * gauge share: per partition a group committed offsets for, the partition's high watermark minus
 * the committed offset.
 *
 * <p>Thread-safety: stateless; reads the coordinator's and the partitions' thread-safe views, so
 * the committed offset and the high watermark are each current but not one atomic snapshot.
 */
public final class ConsumerLag {

  private static final Comparator<PartitionLag> BY_TOPIC_AND_PARTITION =
      Comparator.comparing((PartitionLag lag) -> lag.topicPartition().topic())
          .thenComparingInt(lag -> lag.topicPartition().partition());

  private final GroupCoordinator coordinator;
  private final PartitionManager partitions;

  public ConsumerLag(GroupCoordinator coordinator, PartitionManager partitions) {
    this.coordinator = coordinator;
    this.partitions = partitions;
  }

  /** The lag of every partition the group committed an offset for, by topic and partition. */
  public List<PartitionLag> of(String groupId) {
    return coordinator.committedOffsets(groupId).entrySet().stream()
        .map(entry -> lag(entry.getKey(), entry.getValue().offset()))
        .sorted(BY_TOPIC_AND_PARTITION)
        .toList();
  }

  /** The group's lag on one partition; empty when it committed nothing there. */
  public Optional<PartitionLag> of(String groupId, TopicPartition topicPartition) {
    return coordinator
        .committedOffset(groupId, topicPartition)
        .map(CommittedOffset::offset)
        .map(offset -> lag(topicPartition, offset));
  }

  /** Every group with members or committed offsets. */
  public List<String> groups() {
    return coordinator.list().stream().map(GroupListing::groupId).sorted().toList();
  }

  private PartitionLag lag(TopicPartition topicPartition, long committedOffset) {
    OptionalLong highWatermark =
        partitions
            .get(topicPartition)
            .map(Partition::highWatermark)
            .map(OptionalLong::of)
            .orElse(OptionalLong.empty());
    return new PartitionLag(topicPartition, committedOffset, highWatermark);
  }
}
