package dev.ferry.broker.partition;

import dev.ferry.broker.log.DataDirectory;
import dev.ferry.broker.log.GroupCommit;
import dev.ferry.broker.log.LogCleaner;
import dev.ferry.broker.log.LogConfig;
import dev.ferry.broker.log.PartitionLog;
import dev.ferry.broker.producer.ProducerExpiration;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.record.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, by {@link TopicPartition}, each in {@code
 * <data-dir>/<topic>-<partition>}; Kafka's {@code ReplicaManager} in miniature.
 *
 * <p>Appends go through here so that waiting long-poll fetches are woken after each one. Each
 * partition gets a {@link GroupCommit} whose fsyncs run on the shared flush executor, so durable
 * appends never block a request handler on the disk.
 *
 * <p>Thread-safety: safe for concurrent use. The partition map is concurrent; opening and deleting
 * a partition is serialised by the {@code TopicManager}, which is the only caller of those.
 */
public final class PartitionManager implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PartitionManager.class);

  private final DataDirectory dataDirectory;
  private final Clock clock;
  private final ProducerExpiration producerExpiration;
  private final AppendWaiters appendWaiters;
  private final Executor flushExecutor;
  private final Executor completionExecutor;
  private final LogCleaner cleaner;
  private final Timer flushTimer;
  private final ConcurrentHashMap<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();

  /**
   * @param flushExecutor runs the group-commit fsyncs of every partition
   * @param completionExecutor completes produce requests once their fsync is done
   * @param producerExpiration when idle idempotent producers are forgotten
   * @param cleaner compacts the partitions whose cleanup policy asks for it
   * @param flushTimer records how long each group-commit fsync takes
   */
  public PartitionManager(
      DataDirectory dataDirectory,
      Clock clock,
      AppendWaiters appendWaiters,
      Executor flushExecutor,
      Executor completionExecutor,
      ProducerExpiration producerExpiration,
      LogCleaner cleaner,
      Timer flushTimer) {
    this.dataDirectory = dataDirectory;
    this.clock = clock;
    this.producerExpiration = producerExpiration;
    this.appendWaiters = appendWaiters;
    this.flushExecutor = flushExecutor;
    this.completionExecutor = completionExecutor;
    this.cleaner = cleaner;
    this.flushTimer = flushTimer;
  }

  /** Opens, recovering if the last run crashed, or creates the log of {@code topicPartition}. */
  public Partition open(TopicPartition topicPartition, LogConfig config) throws IOException {
    PartitionLog partitionLog =
        PartitionLog.open(
            dataDirectory.path().resolve(topicPartition.toString()),
            config,
            clock,
            dataDirectory.recoveryNeeded());
    GroupCommit groupCommit =
        new GroupCommit(
            () -> {
              long startNanos = System.nanoTime();
              try {
                return partitionLog.flushForCommit();
              } finally {
                flushTimer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
              }
            },
            partitionLog.flushedOffset(),
            flushExecutor,
            completionExecutor);
    Partition partition =
        Partition.open(topicPartition, partitionLog, groupCommit, producerExpiration);
    partitions.put(topicPartition, partition);
    return partition;
  }

  public Optional<Partition> get(TopicPartition topicPartition) {
    return Optional.ofNullable(partitions.get(topicPartition));
  }

  /**
   * @throws UnknownTopicOrPartitionException when this broker does not host the partition
   */
  public Partition getOrThrow(TopicPartition topicPartition) {
    Partition partition = partitions.get(topicPartition);
    if (partition == null) {
      throw new UnknownTopicOrPartitionException("unknown partition " + topicPartition);
    }
    return partition;
  }

  /**
   * Appends a producer batch as leader and wakes fetches waiting on the partition (needlessly for a
   * retried duplicate; they read again and go back to waiting).
   *
   * @return completed when the batch may be acknowledged, see {@link Partition#appendAsLeader}
   */
  public CompletableFuture<Partition.AppendResult> append(
      TopicPartition topicPartition, MemoryRecords records, boolean durable) throws IOException {
    CompletableFuture<Partition.AppendResult> result =
        getOrThrow(topicPartition).appendAsLeader(records, durable);
    appendWaiters.notifyAppend(topicPartition);
    return result;
  }

  public Collection<Partition> partitions() {
    return partitions.values();
  }

  /** Removes the partition and its files. */
  public void delete(TopicPartition topicPartition) throws IOException {
    Partition partition = partitions.remove(topicPartition);
    if (partition != null) {
      partition.log().delete();
    }
  }

  /**
   * Forces every partition's appended records to disk (the {@code interval} flush policy). It uses
   * the same lock-free force as group commit, not {@link PartitionLog#flush()}: that one holds the
   * partition lock for the fsync and also forces the indexes, so every tick stalled the appends of
   * each partition in turn, and with them the connections waiting to append, for several fsyncs.
   * The active segment's indexes need no force: recovery rebuilds them.
   */
  public void flushAll() {
    for (Partition partition : partitions.values()) {
      try {
        partition.log().flushForCommit();
      } catch (IOException e) {
        log.error("Flushing {} failed", partition.topicPartition(), e);
      }
    }
  }

  /**
   * Applies retention, then compaction, to every partition, per its cleanup policy. One job runs
   * both so that they never race for the same segment.
   */
  public void enforceRetention() {
    for (Partition partition : partitions.values()) {
      try {
        partition.log().deleteRetainedSegments();
        cleaner.clean(partition.log());
      } catch (IOException e) {
        log.error("Retention or compaction of {} failed", partition.topicPartition(), e);
      }
    }
  }

  /** Forgets idle idempotent producers in every partition (Kafka's producer id expiration). */
  public void expireProducers() {
    for (Partition partition : partitions.values()) {
      int expired = partition.expireProducers();
      if (expired > 0) {
        log.info("Expired {} idle producer(s) of {}", expired, partition.topicPartition());
      }
    }
  }

  @Override
  public void close() throws IOException {
    for (Partition partition : partitions.values()) {
      partition.close();
    }
    partitions.clear();
  }
}
