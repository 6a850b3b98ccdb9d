package dev.ferry.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(1_700_000_000_000L);

  static LogConfig config(int segmentBytes, long retentionBytes, long retentionMs) {
    return new LogConfig(
        segmentBytes,
        3_600_000,
        retentionBytes,
        retentionMs,
        100,
        1_000_000,
        FlushPolicy.ON_ROLL,
        CleanupPolicy.DELETE,
        LogConfig.DEFAULT_DELETE_RETENTION_MS);
  }

  static MemoryRecords batch(long timestamp, String... values) {
    SimpleRecord[] records = new SimpleRecord[values.length];
    for (int i = 0; i < values.length; i++) {
      records[i] = new SimpleRecord(timestamp, null, values[i].getBytes(StandardCharsets.UTF_8));
    }
    return MemoryRecords.withRecords(Compression.NONE, records);
  }

  static List<String> values(Records records) {
    List<String> values = new ArrayList<>();
    for (RecordBatch batch : records.batches()) {
      for (Record record : batch) {
        values.add(
            StandardCharsets.UTF_8.decode(record.value()).toString() + "@" + record.offset());
      }
    }
    return values;
  }

  /** Reads from the log start to the end; one read returns at most one segment, like a fetch. */
  static List<String> readAll(PartitionLog log) {
    List<String> all = new ArrayList<>();
    long offset = log.logStartOffset();
    while (offset < log.logEndOffset()) {
      List<String> chunk = values(log.read(offset, 1 << 20, true));
      all.addAll(chunk);
      String last = chunk.get(chunk.size() - 1);
      offset = Long.parseLong(last.substring(last.indexOf('@') + 1)) + 1;
    }
    return all;
  }

  @Test
  void assignsConsecutiveOffsetsAndReadsThemBack() throws IOException {
    try (PartitionLog log = PartitionLog.open(dir, config(1 << 20, -1, -1), clock, false)) {
      assertThat(log.append(batch(1, "a", "b"), false).firstOffset()).isZero();
      assertThat(log.append(batch(2, "c"), false)).isEqualTo(new PartitionLog.AppendedRange(2, 2));
      assertThat(log.logEndOffset()).isEqualTo(3);
      assertThat(values(log.read(0, 10_000, true))).containsExactly("a@0", "b@1", "c@2");
      assertThat(values(log.read(2, 10_000, true))).containsExactly("c@2");
      assertThat(log.read(3, 10_000, true).sizeInBytes()).isZero();
      assertThatThrownBy(() -> log.read(4, 10_000, true))
          .isInstanceOf(OffsetOutOfRangeException.class);
    }
  }

  @Test
  void rollsBySizeAndReadsAcrossSegments() throws IOException {
    try (PartitionLog log = PartitionLog.open(dir, config(1024, -1, -1), clock, false)) {
      for (int i = 0; i < 50; i++) {
        log.append(batch(i, "value-" + i), false);
      }
      assertThat(log.segmentCount()).isGreaterThan(1);
      for (int offset = 0; offset < 50; offset++) {
        assertThat(values(log.read(offset, 1, true)))
            .first()
            .isEqualTo("value-" + offset + "@" + offset);
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains("00000000000000000000.log", "00000000000000000000.index");
    }
  }

  @Test
  void rollsByAgeOnTheNextAppend() throws IOException {
    try (PartitionLog log = PartitionLog.open(dir, config(1 << 20, -1, -1), clock, false)) {
      log.append(batch(1, "old"), false);
      clock.advance(3_600_001);
      log.append(batch(2, "new"), false);
      assertThat(log.segmentCount()).isEqualTo(2);
    }
  }

  @Test
  void retentionBySizeDeletesWholeOldestSegmentsButNeverTheActiveOne() throws IOException {
    try (PartitionLog log = PartitionLog.open(dir, config(1024, 2048, -1), clock, false)) {
      for (int i = 0; i < 100; i++) {
        log.append(batch(i, "value-" + i), false);
      }
      int before = log.segmentCount();
      assertThat(log.deleteRetainedSegments()).isPositive();
      assertThat(log.segmentCount()).isLessThan(before).isGreaterThanOrEqualTo(1);
      assertThat(log.sizeInBytes()).isLessThan(2048 + 1024);
      assertThat(log.logStartOffset()).isPositive();
      assertThat(values(log.read(log.logStartOffset(), 100, true))).isNotEmpty();
      assertThatThrownBy(() -> log.read(0, 100, true))
          .isInstanceOf(OffsetOutOfRangeException.class);
    }
  }

  @Test
  void aReadThatFoundASegmentBeforeRetentionDeletedItStillCompletes() throws IOException {
    try (PartitionLog log = PartitionLog.open(dir, config(1024, 1, -1), clock, false)) {
      for (int i = 0; i < 40; i++) {
        log.append(batch(i, "value-" + i), false);
      }
      Records inFlight = log.read(0, 1 << 20, true);
      assertThat(log.deleteRetainedSegments()).isPositive();
      assertThat(dir.resolve("00000000000000000000.log")).doesNotExist();
      assertThat(values(inFlight)).first().isEqualTo("value-0@0");
      log.deleteRetainedSegments();
    }
  }

  @Test
  void retentionByTimeDeletesSegmentsWhoseNewestRecordExpired() throws IOException {
    long now = clock.millis();
    try (PartitionLog log = PartitionLog.open(dir, config(1024, -1, 60_000), clock, false)) {
      for (int i = 0; i < 40; i++) {
        log.append(batch(now - 120_000, "expired-" + i), false);
      }
      for (int i = 0; i < 40; i++) {
        log.append(batch(now, "fresh-" + i), false);
      }
      assertThat(log.deleteRetainedSegments()).isPositive();
      List<String> kept = readAll(log);
      assertThat(kept).filteredOn(value -> value.startsWith("fresh-")).hasSize(40);
      assertThat(kept).filteredOn(value -> value.startsWith("expired-")).hasSizeLessThan(40);
      assertThat(log.logStartOffset()).isPositive();
    }
  }

  @Test
  void findsTheFirstOffsetAtOrAfterATimestamp() throws IOException {
    try (PartitionLog log = PartitionLog.open(dir, config(1024, -1, -1), clock, false)) {
      for (int i = 0; i < 60; i++) {
        log.append(batch(10_000 + i * 10L, "v" + i), false);
      }
      assertThat(log.offsetForTimestamp(10_000).orElseThrow().offset).isZero();
      assertThat(log.offsetForTimestamp(10_095).orElseThrow().offset).isEqualTo(10);
      assertThat(log.offsetForTimestamp(10_590).orElseThrow().offset).isEqualTo(59);
      assertThat(log.offsetForTimestamp(10_591)).isEmpty();
      assertThat(log.maxTimestamp()).contains(10_590L);
    }
  }

  @Test
  void cleanReopenKeepsOffsetsIndexesAndTimestamps() throws IOException {
    try (PartitionLog log = PartitionLog.open(dir, config(1024, -1, -1), clock, false)) {
      for (int i = 0; i < 30; i++) {
        log.append(batch(5_000 + i, "v" + i), false);
      }
    }
    try (PartitionLog log = PartitionLog.open(dir, config(1024, -1, -1), clock, false)) {
      assertThat(log.logEndOffset()).isEqualTo(30);
      assertThat(log.maxTimestamp()).contains(5_029L);
      assertThat(log.append(batch(1, "next"), false).firstOffset()).isEqualTo(30);
      assertThat(values(log.read(17, 1, true))).first().isEqualTo("v17@17");
    }
  }

  @Test
  void recoveryTruncatesATornTailAndKeepsEveryWholeBatch() throws IOException {
    Path activeSegment;
    try (PartitionLog log = PartitionLog.open(dir, config(1 << 20, -1, -1), clock, false)) {
      for (int i = 0; i < 10; i++) {
        log.append(batch(i, "v" + i), true);
      }
      activeSegment = dir.resolve("00000000000000000000.log");
    }
    long wholeSize = Files.size(activeSegment);
    // A crash in the middle of writing the next batch: only its first 30 bytes reached the disk.
    MemoryRecords next = batch(11, "torn");
    ByteBuffer half = next.buffer().duplicate();
    half.limit(30);
    try (FileChannel channel = FileChannel.open(activeSegment, StandardOpenOption.APPEND)) {
      channel.write(half);
    }
    try (PartitionLog log = PartitionLog.open(dir, config(1 << 20, -1, -1), clock, true)) {
      assertThat(Files.size(activeSegment)).isEqualTo(wholeSize);
      assertThat(log.logEndOffset()).isEqualTo(10);
      assertThat(values(log.read(0, 1 << 20, true))).hasSize(10).last().isEqualTo("v9@9");
      assertThat(log.append(batch(12, "after"), false).firstOffset()).isEqualTo(10);
    }
  }

  @Test
  void recoveryTruncatesAtTheFirstBatchWithABadChecksum() throws IOException {
    Path activeSegment = dir.resolve("00000000000000000000.log");
    int thirdBatchPosition = 0;
    try (PartitionLog log = PartitionLog.open(dir, config(1 << 20, -1, -1), clock, false)) {
      for (int i = 0; i < 5; i++) {
        if (i == 2) {
          thirdBatchPosition = (int) log.sizeInBytes();
        }
        log.append(batch(i, "v" + i), true);
      }
    }
    // Flip a byte inside the third batch's records, which its CRC covers.
    try (FileChannel channel = FileChannel.open(activeSegment, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {(byte) 0x7f}), thirdBatchPosition + 65);
    }
    try (PartitionLog log = PartitionLog.open(dir, config(1 << 20, -1, -1), clock, true)) {
      assertThat(log.logEndOffset()).isEqualTo(2);
      assertThat(Files.size(activeSegment)).isEqualTo(thirdBatchPosition);
      assertThat(values(log.read(0, 1 << 20, true))).containsExactly("v0@0", "v1@1");
    }
  }

  @Test
  void recoveryRebuildsMissingIndexes() throws IOException {
    try (PartitionLog log = PartitionLog.open(dir, config(1 << 20, -1, -1), clock, false)) {
      for (int i = 0; i < 40; i++) {
        log.append(batch(100 + i, "v" + i), false);
      }
    }
    Files.delete(dir.resolve("00000000000000000000.index"));
    Files.delete(dir.resolve("00000000000000000000.timeindex"));
    try (PartitionLog log = PartitionLog.open(dir, config(1 << 20, -1, -1), clock, true)) {
      assertThat(log.logEndOffset()).isEqualTo(40);
      assertThat(values(log.read(33, 1, true))).first().isEqualTo("v33@33");
      assertThat(log.offsetForTimestamp(120).orElseThrow().offset).isEqualTo(20);
    }
  }
}
