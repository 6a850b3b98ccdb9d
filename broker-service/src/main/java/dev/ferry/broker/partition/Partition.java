package dev.ferry.broker.partition;

import dev.ferry.broker.log.BatchValidator;
import dev.ferry.broker.log.PartitionLog;
import dev.ferry.broker.producer.ProducerStateManager;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Records;

/**
 * One partition as hosted by this broker: its log, its idempotent-producer state and its role.
 *
 * <p>The role is explicit because replication will come: today every partition is {@link
 * Role#LEADER} with no followers, so the high watermark equals the log end offset and {@code
 * acks=all} means "durably appended here" (the batch is fsynced before the response).
 *
 * <p>Thread-safety: {@link #appendAsLeader} holds {@link #lock} across the sequence check, offset
 * assignment, write and producer-state update, so a retried batch can never be written twice by
 * racing requests. Reads take no lock (see {@link PartitionLog}).
 */
public final class Partition {

  /** What this broker does for the partition. Followers arrive with replication. */
  public enum Role {
    LEADER
  }

  private final TopicPartition topicPartition;
  private final PartitionLog log;
  private final ProducerStateManager producerState;
  private final ReentrantLock lock = new ReentrantLock();

  private Partition(
      TopicPartition topicPartition, PartitionLog log, ProducerStateManager producerState) {
    this.topicPartition = topicPartition;
    this.log = log;
    this.producerState = producerState;
  }

  /** Wraps an opened log, rebuilding producer state from its batch headers. */
  static Partition open(TopicPartition topicPartition, PartitionLog log) {
    ProducerStateManager producerState = new ProducerStateManager();
    log.forEachBatch(producerState::update);
    return new Partition(topicPartition, log, producerState);
  }

  /**
   * Validates and appends one producer batch.
   *
   * @param durable fsync before returning ({@code acks=all})
   * @return where the batch is; for a retried duplicate, where it was first written
   */
  public AppendResult appendAsLeader(MemoryRecords records, boolean durable) throws IOException {
    MutableRecordBatch batch = BatchValidator.validate(records, log.config().maxMessageBytes());
    lock.lock();
    try {
      Optional<ProducerStateManager.BatchMetadata> duplicate = producerState.checkSequence(batch);
      if (duplicate.isPresent()) {
        return new AppendResult(duplicate.get().firstOffset(), log.logStartOffset(), true);
      }
      PartitionLog.AppendedRange range = log.append(records, durable);
      // The batch view reads the rewritten header, so it now carries the assigned offsets.
      producerState.update(batch);
      return new AppendResult(range.firstOffset(), log.logStartOffset(), false);
    } finally {
      lock.unlock();
    }
  }

  public Records read(long offset, int maxBytes, boolean minOneBatch) {
    return log.read(offset, maxBytes, minOneBatch);
  }

  public Optional<FileRecords.TimestampAndOffset> offsetForTimestamp(long timestamp) {
    return log.offsetForTimestamp(timestamp);
  }

  public Optional<Long> maxTimestamp() {
    return log.maxTimestamp();
  }

  public TopicPartition topicPartition() {
    return topicPartition;
  }

  public Role role() {
    return Role.LEADER;
  }

  public long logStartOffset() {
    return log.logStartOffset();
  }

  public long logEndOffset() {
    return log.logEndOffset();
  }

  /** The offset up to which consumers may read: the log end, as there are no followers yet. */
  public long highWatermark() {
    return log.logEndOffset();
  }

  public long sizeInBytes() {
    return log.sizeInBytes();
  }

  PartitionLog log() {
    return log;
  }

  /**
   * The outcome of one produce append.
   *
   * @param baseOffset the offset of the batch's first record
   * @param logStartOffset the partition's log start offset after the append
   * @param duplicate whether the batch was a retry that was not written again
   */
  public record AppendResult(long baseOffset, long logStartOffset, boolean duplicate) {}
}
