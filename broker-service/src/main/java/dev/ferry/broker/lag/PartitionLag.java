package dev.ferry.broker.lag;

import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a group's committed offset trails one partition.
 *
 * @param topicPartition the partition
 * @param committedOffset the offset the group committed (the next record it will read)
 * @param highWatermark the partition's high watermark; empty when the partition no longer exists
 */
public record PartitionLag(
    TopicPartition topicPartition, long committedOffset, OptionalLong highWatermark) {

  /**
   * Records the group has yet to consume: high watermark minus committed offset, never negative (a
   * commit beyond the end, e.g. after retention or a truncation, is no lag); empty when unknown.
   */
  public OptionalLong lag() {
    return highWatermark.isPresent()
        ? OptionalLong.of(Math.max(0, highWatermark.getAsLong() - committedOffset))
        : OptionalLong.empty();
  }
}
