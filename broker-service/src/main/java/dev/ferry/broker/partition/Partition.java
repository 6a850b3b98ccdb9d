package dev.ferry.broker.partition;

import dev.ferry.broker.log.BatchValidator;
import dev.ferry.broker.log.FlushPolicy;
import dev.ferry.broker.log.GroupCommit;
import dev.ferry.broker.log.PartitionLog;
import dev.ferry.broker.producer.ProducerExpiration;
import dev.ferry.broker.producer.ProducerStateManager;
import dev.ferry.broker.producer.ProducerStateSnapshot;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition as hosted by this broker: its log, its idempotent-producer state and its role.
 *
 * <p>The role is explicit because replication will come: today every partition is {@link
 * Role#LEADER} with no followers, so the high watermark equals the log end offset and {@code
 * acks=all} means "durably appended here": the append is acknowledged only after a {@link
 * GroupCommit} fsync covered it.
 *
 * <p>Thread-safety: {@link #appendAsLeader} holds {@link #lock} across the sequence check, offset
 * assignment, write and producer-state update, so a retried batch can never be written twice by
 * racing requests; it releases the lock before waiting for durability, so later appends join the
 * same fsync. Reads take no lock (see {@link PartitionLog}).
 */
public final class Partition {

  /** What this broker does for the partition. Followers arrive with replication. */
  public enum Role {
    LEADER
  }

  private static final Logger LOG = LoggerFactory.getLogger(Partition.class);

  private final TopicPartition topicPartition;
  private final PartitionLog log;
  private final ProducerStateManager producerState;
  private final GroupCommit groupCommit;
  private final ProducerExpiration producerExpiration;
  private final ReentrantLock lock = new ReentrantLock();

  private Partition(
      TopicPartition topicPartition,
      PartitionLog log,
      ProducerStateManager producerState,
      GroupCommit groupCommit,
      ProducerExpiration producerExpiration) {
    this.topicPartition = topicPartition;
    this.log = log;
    this.producerState = producerState;
    this.groupCommit = groupCommit;
    this.producerExpiration = producerExpiration;
  }

  /**
   * Wraps an opened log, restoring producer state from the newest usable snapshot and the batch
   * headers after it, or from every batch header when there is no snapshot; producers that expired
   * meanwhile (in the snapshot or in the replayed batches) are dropped.
   */
  static Partition open(
      TopicPartition topicPartition,
      PartitionLog log,
      GroupCommit groupCommit,
      ProducerExpiration producerExpiration)
      throws IOException {
    Optional<ProducerStateSnapshot> snapshot =
        ProducerStateSnapshot.loadLatest(log.dir(), log.logEndOffset());
    ProducerStateManager producerState =
        snapshot.map(ProducerStateManager::restore).orElseGet(ProducerStateManager::new);
    long replayFrom = snapshot.map(ProducerStateSnapshot::offset).orElse(log.logStartOffset());
    log.forEachBatchFrom(replayFrom, producerState::update);
    producerState.removeExpired(producerExpiration);
    LOG.debug(
        "Producer state of {}: {} producer(s), {} from offset {}",
        topicPartition,
        producerState.producerCount(),
        snapshot.isPresent() ? "snapshot, then log" : "log",
        replayFrom);
    return new Partition(topicPartition, log, producerState, groupCommit, producerExpiration);
  }

  /**
   * Validates and appends one producer batch. Validation and sequence errors are thrown at once;
   * the returned future completes when the batch may be acknowledged: at once, or once it is on
   * disk when {@code durable} is asked for or the flush policy is {@link FlushPolicy#PER_BATCH}. It
   * fails with the {@link IOException} of a failed fsync.
   *
   * @param durable acknowledge only once on disk ({@code acks=all})
   * @return where the batch is; for a retried duplicate, where it was first written
   */
  public CompletableFuture<AppendResult> appendAsLeader(MemoryRecords records, boolean durable)
      throws IOException {
    MutableRecordBatch batch = BatchValidator.validate(records, log.config().maxMessageBytes());
    AppendResult result;
    long endOffset;
    lock.lock();
    try {
      Optional<ProducerStateManager.BatchMetadata> duplicate = producerState.checkSequence(batch);
      if (duplicate.isPresent()) {
        // The first attempt may still be waiting for its fsync, so the retry waits for it too.
        result = new AppendResult(duplicate.get().firstOffset(), log.logStartOffset(), true);
        endOffset = duplicate.get().lastOffset() + 1;
      } else {
        long activeBefore = log.activeBaseOffset();
        PartitionLog.AppendedRange range = log.append(records, false);
        // The batch view reads the rewritten header, so it now carries the assigned offsets.
        producerState.update(batch);
        if (log.activeBaseOffset() != activeBefore) {
          snapshotProducerState();
        }
        result = new AppendResult(range.firstOffset(), log.logStartOffset(), false);
        endOffset = range.lastOffset() + 1;
      }
    } finally {
      lock.unlock();
    }
    if (!durable && log.config().flushPolicy() != FlushPolicy.PER_BATCH) {
      return CompletableFuture.completedFuture(result);
    }
    return groupCommit.awaitDurable(endOffset).thenApply(ignored -> result);
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
   * Forgets the idempotent producers idle for longer than {@code producer-id-expiration-ms}. The
   * next snapshot (on roll or close) no longer holds them.
   *
   * @return how many were forgotten
   */
  int expireProducers() {
    lock.lock();
    try {
      return producerState.removeExpired(producerExpiration);
    } finally {
      lock.unlock();
    }
  }

  /** Whether idempotent-producer state is held for {@code producerId}. */
  boolean hasProducer(long producerId) {
    lock.lock();
    try {
      return producerState.contains(producerId);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Saves producer state as of the log end, so the next start replays only what follows. Called
   * with the lock held, on roll and on close; a failure costs only a longer replay.
   */
  private void snapshotProducerState() {
    try {
      producerState.snapshot(log.logEndOffset()).write(log.dir());
    } catch (IOException e) {
      LOG.warn("Cannot snapshot producer state of {}", topicPartition, e);
    }
  }

  /** Closes the log cleanly and snapshots producer state at its end. */
  void close() throws IOException {
    lock.lock();
    try {
      log.close();
      snapshotProducerState();
    } finally {
      lock.unlock();
    }
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
