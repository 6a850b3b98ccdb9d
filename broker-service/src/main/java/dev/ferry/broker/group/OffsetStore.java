package dev.ferry.broker.group;

import dev.ferry.broker.group.GroupCommands.CommittedOffset;
import dev.ferry.broker.log.AtomicFile;
import dev.ferry.broker.log.CleanupPolicy;
import dev.ferry.broker.log.FlushPolicy;
import dev.ferry.broker.log.LogCleaner;
import dev.ferry.broker.log.LogConfig;
import dev.ferry.broker.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * Committed consumer-group offsets, kept in memory and made durable in an internal log, the way
 * Kafka uses {@code __consumer_offsets}.
 *
 * <p>On-disk format: the log {@code <data-dir>/__consumer_offsets-0} (ordinary segments, so it gets
 * the same CRC validation and torn-tail recovery as any partition). Each commit is one batch
 * holding one record per partition, appended with fsync before the commit is acknowledged. Record
 * key: {@code version:int16=0, group:string, topic:string, partition:int32}; value: {@code
 * version:int16=0, offset:int64, leaderEpoch:int32, metadata:string, commitTimestamp:int64}, where
 * a string is an int16 length and UTF-8 bytes. Start-up replays the log; the last value of a key
 * wins.
 *
 * <p>Compaction, while running: the log is a compacted log (its config says {@code compact}), and
 * {@link #clean} runs the broker's {@link LogCleaner} over it with the partitions' retention, so
 * its closed segments keep one record per key (the latest commit of each group and partition)
 * however long the broker runs. The cleaner never touches the active segment, and the in-memory
 * map, not the log, answers OffsetFetch, so commits and fetches go on unaffected during a pass.
 *
 * <p>Compaction at start-up: when the replayed log holds superseded values (the active segment's,
 * which the cleaner leaves alone), {@link #open} rewrites the latest value of every key into {@code
 * __consumer_offsets-0.compacted}, then swaps directories by two atomic renames (live to {@code
 * .old}, compacted to live). A crash at any step is finished or undone at the next start: a live
 * directory means any {@code .compacted} or {@code .old} is leftover; no live directory means the
 * swap stopped half-way and {@code .compacted} is complete.
 *
 * <p>Thread-safety: {@link #commit} is synchronised so the log order matches the map order; lookups
 * read concurrent maps; {@link #clean} may run concurrently with both.
 */
public final class OffsetStore implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(OffsetStore.class);
  private static final short VERSION = 0;
  static final String LOG_DIRECTORY = "__consumer_offsets-0";

  private final PartitionLog log;
  private int replayedRecords;
  private final ConcurrentHashMap<String, ConcurrentHashMap<TopicPartition, CommittedOffset>>
      offsets = new ConcurrentHashMap<>();

  OffsetStore(PartitionLog log) {
    this.log = log;
    log.forEachBatch(
        batch -> {
          for (Record record : batch) {
            replay(record);
            replayedRecords++;
          }
        });
  }

  /**
   * Opens the offsets log in {@code dataDir}, finishing or undoing an interrupted compaction, and
   * compacts it when it holds superseded values.
   */
  public static OffsetStore open(Path dataDir, LogConfig config, Clock clock, boolean recover)
      throws IOException {
    Path live = dataDir.resolve(LOG_DIRECTORY);
    Path compacted = dataDir.resolve(LOG_DIRECTORY + ".compacted");
    Path old = dataDir.resolve(LOG_DIRECTORY + ".old");
    if (!Files.exists(live) && Files.exists(compacted)) {
      Files.move(compacted, live, StandardCopyOption.ATOMIC_MOVE);
      AtomicFile.fsyncDirectory(dataDir);
    }
    FileSystemUtils.deleteRecursively(compacted);
    FileSystemUtils.deleteRecursively(old);

    OffsetStore store = new OffsetStore(PartitionLog.open(live, config, clock, recover));
    int liveKeys = store.offsets.values().stream().mapToInt(Map::size).sum();
    if (store.replayedRecords == liveKeys) {
      return store;
    }
    try (PartitionLog rewritten = PartitionLog.open(compacted, config, clock, false)) {
      OffsetStore target = new OffsetStore(rewritten);
      for (Map.Entry<String, ConcurrentHashMap<TopicPartition, CommittedOffset>> group :
          store.offsets.entrySet()) {
        target.commit(group.getKey(), group.getValue());
      }
    }
    store.close();
    Files.move(live, old, StandardCopyOption.ATOMIC_MOVE);
    AtomicFile.fsyncDirectory(dataDir);
    Files.move(compacted, live, StandardCopyOption.ATOMIC_MOVE);
    AtomicFile.fsyncDirectory(dataDir);
    FileSystemUtils.deleteRecursively(old);
    logger.info(
        "Compacted {}: {} record(s) down to {}", LOG_DIRECTORY, store.replayedRecords, liveKeys);
    return new OffsetStore(PartitionLog.open(live, config, clock, false));
  }

  /**
   * The offsets log's settings: compacted and never subject to retention (a group's last commit
   * must outlive any age), fsynced on every commit, rolling at {@code segmentBytes} so that the
   * cleaner, which compacts closed segments only, has something to compact while the broker runs.
   */
  public static LogConfig logConfig(int segmentBytes) {
    return new LogConfig(
        segmentBytes,
        Long.MAX_VALUE,
        -1,
        -1,
        4096,
        1024 * 1024,
        FlushPolicy.PER_BATCH,
        CleanupPolicy.COMPACT,
        LogConfig.DEFAULT_DELETE_RETENTION_MS);
  }

  /**
   * One cleaning pass over the offsets log; called by the log maintenance job.
   *
   * @return what the pass did
   */
  public PartitionLog.CleaningPass clean(LogCleaner cleaner) throws IOException {
    return cleaner.clean(log);
  }

  /** Records read from the log at start-up, superseded ones included. */
  int replayedRecords() {
    return replayedRecords;
  }

  private void replay(Record record) {
    ByteBuffer key = record.key();
    if (key.getShort() != VERSION || !record.hasValue()) {
      return;
    }
    String group = readString(key);
    TopicPartition partition = new TopicPartition(readString(key), key.getInt());
    ByteBuffer value = record.value();
    if (value.getShort() != VERSION) {
      return;
    }
    CommittedOffset offset =
        new CommittedOffset(value.getLong(), value.getInt(), readString(value), value.getLong());
    offsets.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(partition, offset);
  }

  /** Durably stores the offsets, then makes them visible. */
  public synchronized void commit(String group, Map<TopicPartition, CommittedOffset> commits)
      throws IOException {
    if (commits.isEmpty()) {
      return;
    }
    SimpleRecord[] records = new SimpleRecord[commits.size()];
    int i = 0;
    for (Map.Entry<TopicPartition, CommittedOffset> commit : commits.entrySet()) {
      CommittedOffset offset = commit.getValue();
      records[i++] =
          new SimpleRecord(offset.commitTimestampMs(), key(group, commit.getKey()), value(offset));
    }
    log.append(MemoryRecords.withRecords(Compression.NONE, records), true);
    offsets.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).putAll(commits);
  }

  /** The group's committed offsets, by partition; empty when it committed none. */
  public Map<TopicPartition, CommittedOffset> offsets(String group) {
    return Map.copyOf(offsets.getOrDefault(group, new ConcurrentHashMap<>()));
  }

  /** The group's committed offset for one partition; empty when it committed none there. */
  public Optional<CommittedOffset> offset(String group, TopicPartition partition) {
    Map<TopicPartition, CommittedOffset> groupOffsets = offsets.get(group);
    return Optional.ofNullable(groupOffsets == null ? null : groupOffsets.get(partition));
  }

  /** Every group that has committed offsets. */
  public Set<String> groups() {
    return Set.copyOf(offsets.keySet());
  }

  private static byte[] key(String group, TopicPartition partition) {
    byte[] groupBytes = group.getBytes(StandardCharsets.UTF_8);
    byte[] topicBytes = partition.topic().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + 2 + groupBytes.length + 2 + topicBytes.length + 4)
        .putShort(VERSION)
        .putShort((short) groupBytes.length)
        .put(groupBytes)
        .putShort((short) topicBytes.length)
        .put(topicBytes)
        .putInt(partition.partition())
        .array();
  }

  private static byte[] value(CommittedOffset offset) {
    byte[] metadata = offset.metadata().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + 8 + 4 + 2 + metadata.length + 8)
        .putShort(VERSION)
        .putLong(offset.offset())
        .putInt(offset.leaderEpoch())
        .putShort((short) metadata.length)
        .put(metadata)
        .putLong(offset.commitTimestampMs())
        .array();
  }

  private static String readString(ByteBuffer buffer) {
    byte[] bytes = new byte[Short.toUnsignedInt(buffer.getShort())];
    buffer.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
