package dev.ferry.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.broker.log.CleanupPolicy;
import dev.ferry.broker.log.FlushPolicy;
import dev.ferry.broker.log.GroupCommit;
import dev.ferry.broker.log.LogConfig;
import dev.ferry.broker.log.MutableClock;
import dev.ferry.broker.log.PartitionLog;
import dev.ferry.broker.producer.ProducerExpiration;
import dev.ferry.broker.producer.ProducerStateSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotent-producer state across restarts of one partition, restored from a snapshot plus the
 * batches after it. Retention makes the difference visible: once the producer's batches are
 * deleted, only the snapshot still knows it, so only with the snapshot is its retry recognised.
 */
class PartitionRestartTest {

  private static final TopicPartition TOPIC_PARTITION = new TopicPartition("t", 0);
  private static final long PRODUCER = 7;

  private static final long EXPIRATION_MS = 86_400_000;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(1_800_000_000_000L);

  @Test
  void recognisesARetryAfterRestartEvenWhenRetentionDeletedTheProducersBatches() throws Exception {
    Partition first = open(-1);
    for (int sequence = 0; sequence < 3; sequence++) {
      appendNew(first, idempotent(sequence));
    }
    long lastOffset = first.logEndOffset() - 1;
    for (int i = 0; i < 3; i++) {
      appendNew(first, plain());
    }
    first.close();
    assertThat(snapshots()).isNotEmpty();

    Partition second = open(1024);
    assertThat(second.log().deleteRetainedSegments()).isPositive();
    assertThat(second.logStartOffset()).isGreaterThan(lastOffset);
    second.close();

    Partition third = open(1024);
    Partition.AppendResult retry = third.appendAsLeader(idempotent(2), true).get();
    assertThat(retry.duplicate()).isTrue();
    assertThat(retry.baseOffset()).isEqualTo(lastOffset);
    assertThat(third.appendAsLeader(idempotent(3), true).get().duplicate()).isFalse();
    third.close();
  }

  @Test
  void ignoresAndDeletesASnapshotBeyondTheLogEndAfterACrashTruncatedTheLog() throws Exception {
    Partition first = open(-1);
    appendNew(first, idempotent(0));
    appendNew(first, idempotent(1));
    first.close();
    // Left behind by a run whose tail a crash took away: it knows no producer at all.
    new ProducerStateSnapshot(1_000, List.of()).write(dir);
    Path beyondEnd = dir.resolve(String.format("%020d.snapshot", 1_000));
    assertThat(beyondEnd).exists();

    Partition second = open(-1);
    assertThat(beyondEnd).doesNotExist();
    assertThat(second.appendAsLeader(idempotent(1), true).get().duplicate()).isTrue();
    second.close();
  }

  @Test
  void forgetsAProducerThatExpiredWhileTheBrokerWasDown() throws Exception {
    Partition first = open(-1);
    appendNew(first, idempotent(0));
    appendNew(first, idempotent(1));
    first.close();

    clock.advance(EXPIRATION_MS - 1);
    Partition second = open(-1);
    assertThat(second.hasProducer(PRODUCER)).isTrue();
    second.close();

    clock.advance(1);
    Partition third = open(-1);
    assertThat(third.hasProducer(PRODUCER)).isFalse();
    // Forgotten: a resend of the last batch is no longer recognised and is written again.
    assertThat(third.appendAsLeader(idempotent(1), true).get().duplicate()).isFalse();
    third.close();
  }

  @Test
  void aProducerExpiredAtRuntimeIsLeftOutOfTheNextSnapshot() throws Exception {
    Partition first = open(-1);
    appendNew(first, idempotent(0));
    clock.advance(EXPIRATION_MS);
    assertThat(first.expireProducers()).isEqualTo(1);
    first.close();

    ProducerStateSnapshot snapshot =
        ProducerStateSnapshot.loadLatest(dir, Long.MAX_VALUE).orElseThrow();
    assertThat(snapshot.producers()).isEmpty();
  }

  private Partition open(long retentionBytes) throws IOException {
    // Batches larger than half a segment: every append after the first rolls, and each roll
    // snapshots.
    LogConfig config =
        new LogConfig(
            1024,
            Long.MAX_VALUE,
            retentionBytes,
            -1,
            4096,
            1 << 20,
            FlushPolicy.ON_ROLL,
            CleanupPolicy.DELETE,
            LogConfig.DEFAULT_DELETE_RETENTION_MS);
    PartitionLog log = PartitionLog.open(dir, config, clock, false);
    GroupCommit groupCommit =
        new GroupCommit(log::flushForCommit, log.flushedOffset(), Runnable::run, Runnable::run);
    return Partition.open(
        TOPIC_PARTITION, log, groupCommit, new ProducerExpiration(clock, EXPIRATION_MS));
  }

  private static void appendNew(Partition partition, MemoryRecords records) throws Exception {
    assertThat(partition.appendAsLeader(records, true).get().duplicate()).isFalse();
  }

  private MemoryRecords idempotent(int sequence) {
    return MemoryRecords.withIdempotentRecords(
        Compression.NONE,
        PRODUCER,
        (short) 0,
        sequence,
        new SimpleRecord(clock.millis(), payload()));
  }

  private static MemoryRecords plain() {
    return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(payload()));
  }

  private static byte[] payload() {
    return new byte[600];
  }

  private List<Path> snapshots() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(path -> path.toString().endsWith(".snapshot")).sorted().toList();
    }
  }
}
