package dev.ferry.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction checked against a reference model: the latest value per key of everything appended (a
 * tombstone deletes its key). Whatever the cleaner removes, replaying the compacted log must give
 * the same map, every record left must sit at the offset it was appended at, and the closed
 * segments must hold each key at most once.
 */
class LogCleanerTest {

  private static final long DELETE_RETENTION_MS = 60_000;

  @TempDir Path dir;
  final LogCleaner cleaner = new LogCleaner(1 << 20);
  final MutableClock clock = new MutableClock(1_700_000_000_000L);

  /** One appended record; a null value is a tombstone. */
  record Entry(long offset, String key, String value) {}

  static LogConfig config(CleanupPolicy policy, long retentionMs) {
    return new LogConfig(
        1024,
        3_600_000,
        -1,
        retentionMs,
        100,
        1_000_000,
        FlushPolicy.ON_ROLL,
        policy,
        DELETE_RETENTION_MS);
  }

  @Test
  void keepsTheLatestRecordPerKeyAtItsOriginalOffsetOnRandomLogs() throws IOException {
    for (int seed = 0; seed < 8; seed++) {
      Path logDir = dir.resolve("seed-" + seed);
      PartitionLog log = PartitionLog.open(logDir, config(CleanupPolicy.COMPACT, -1), clock, false);
      List<Entry> appended = appendRandom(log, new Random(seed), 400, 25);
      long startOffset = log.logStartOffset();
      long endOffset = log.logEndOffset();
      long sizeBefore = log.sizeInBytes();
      assertThat(log.segmentCount()).isGreaterThan(3);

      assertThat(cleaner.clean(log).segmentsReplaced()).isPositive();

      List<Entry> compacted = readAll(log);
      assertCompactionOf(appended, compacted, log.activeBaseOffset());
      assertThat(log.logStartOffset()).isEqualTo(startOffset);
      assertThat(log.logEndOffset()).isEqualTo(endOffset);
      assertThat(log.sizeInBytes()).isLessThan(sizeBefore);
      assertThat(log.offsetForTimestamp(0))
          .hasValueSatisfying(
              found -> assertThat(found.offset).isEqualTo(compacted.get(0).offset()));
      assertThat(cleaner.clean(log).segmentsReplaced()).as("nothing left to remove").isZero();
      log.deleteRetainedSegments();
      log.close();

      PartitionLog reopened =
          PartitionLog.open(logDir, config(CleanupPolicy.COMPACT, -1), clock, false);
      assertThat(readAll(reopened)).isEqualTo(compacted);
      assertThat(reopened.logEndOffset()).isEqualTo(endOffset);
      reopened.close();
    }
  }

  @Test
  void dropsATombstoneOnlyOnceDeleteRetentionPassed() throws IOException {
    PartitionLog log = PartitionLog.open(dir, config(CleanupPolicy.COMPACT, -1), clock, false);
    List<Entry> appended = new ArrayList<>();
    appended.add(append(log, Compression.NONE, "gone", "v1").get(0));
    appended.add(append(log, Compression.NONE, "gone", null).get(0));
    for (int i = 0; i < 40; i++) {
      appended.add(append(log, Compression.NONE, "other-" + i, "x".repeat(50)).get(0));
    }

    assertThat(cleaner.clean(log).segmentsReplaced()).isPositive();
    assertThat(readAll(log)).contains(appended.get(1)).doesNotContain(appended.get(0));

    clock.advance(DELETE_RETENTION_MS - 1);
    assertThat(cleaner.clean(log).segmentsReplaced()).isZero();
    clock.advance(1);
    assertThat(cleaner.clean(log).segmentsReplaced()).isPositive();
    assertThat(readAll(log)).extracting(Entry::key).doesNotContain("gone");
    assertCompactionOf(appended, readAll(log), log.activeBaseOffset());
    log.close();
  }

  @Test
  void retentionDeletesSegmentsOnlyWhenThePolicyIncludesDelete() throws IOException {
    for (CleanupPolicy policy : List.of(CleanupPolicy.COMPACT, CleanupPolicy.COMPACT_DELETE)) {
      PartitionLog log =
          PartitionLog.open(dir.resolve(policy.name()), config(policy, 1_000), clock, false);
      appendRandom(log, new Random(1), 100, 10);
      clock.advance(10_000);
      assertThat(log.deleteRetainedSegments() > 0).isEqualTo(policy.deletes());
      log.close();
    }
  }

  @Test
  void finishesAnInterruptedSwapAndDiscardsAnUnfinishedCleanedFile() throws IOException {
    Path original = dir.resolve("original");
    PartitionLog log = PartitionLog.open(original, config(CleanupPolicy.COMPACT, -1), clock, false);
    List<Entry> appended = appendRandom(log, new Random(7), 300, 10);
    log.close();
    Path copy = dir.resolve("copy");
    copyDirectory(original, copy);
    PartitionLog compactedCopy =
        PartitionLog.open(copy, config(CleanupPolicy.COMPACT, -1), clock, false);
    assertThat(cleaner.clean(compactedCopy).segmentsReplaced()).isPositive();
    compactedCopy.close();

    // A crash after the first segment's .swap was complete, and while the second's .cleaned was
    // being written.
    List<Path> logs = files(original, ".log");
    String first = logs.get(0).getFileName().toString();
    String second = logs.get(1).getFileName().toString();
    Files.copy(copy.resolve(first), original.resolve(first + ".swap"));
    Files.write(original.resolve(second + ".cleaned"), new byte[] {1, 2, 3});

    PartitionLog recovered =
        PartitionLog.open(original, config(CleanupPolicy.COMPACT, -1), clock, false);
    assertThat(files(original, ".swap")).isEmpty();
    assertThat(files(original, ".cleaned")).isEmpty();
    assertThat(Files.size(original.resolve(first))).isEqualTo(Files.size(copy.resolve(first)));
    List<Entry> entries = readAll(recovered);
    Map<Long, Entry> byOffset = new HashMap<>();
    appended.forEach(entry -> byOffset.put(entry.offset(), entry));
    entries.forEach(entry -> assertThat(byOffset.get(entry.offset())).isEqualTo(entry));
    assertThat(replay(entries)).isEqualTo(replay(appended));

    cleaner.clean(recovered);
    assertCompactionOf(appended, readAll(recovered), recovered.activeBaseOffset());
    recovered.close();
  }

  @Test
  void aKeyMapOfThreeKeysCleansInPassesThatConvergeAndNeverDropALatestValue() throws IOException {
    for (int seed = 0; seed < 2; seed++) {
      boolean tombstonesExpired = seed == 1;
      PartitionLog log =
          PartitionLog.open(
              dir.resolve("tiny-" + seed), config(CleanupPolicy.COMPACT, -1), clock, false);
      PartitionLog reference =
          PartitionLog.open(
              dir.resolve("roomy-" + seed), config(CleanupPolicy.COMPACT, -1), clock, false);
      List<Entry> appended = appendRandom(log, new Random(seed), 300, 15);
      assertThat(appendRandom(reference, new Random(seed), 300, 15)).isEqualTo(appended);
      if (tombstonesExpired) {
        clock.advance(DELETE_RETENTION_MS);
      }
      // Four slots, of which the 0.9 load factor uses three.
      LogCleaner tiny = new LogCleaner(4 * OffsetMap.BYTES_PER_ENTRY);

      int passes = 0;
      PartitionLog.CleaningPass pass;
      do {
        pass = tiny.clean(log);
        passes++;
        assertThat(pass.cleanedUpTo())
            .as("pass %d makes progress", passes)
            .isGreaterThan(pass.dirtyFrom());
        List<Entry> left = readAll(log);
        assertThat(replay(left))
            .as("pass %d keeps every latest value", passes)
            .isEqualTo(replay(appended));
        Map<Long, Entry> byOffset = new HashMap<>();
        appended.forEach(entry -> byOffset.put(entry.offset(), entry));
        left.forEach(entry -> assertThat(byOffset.get(entry.offset())).isEqualTo(entry));
      } while (!pass.caughtUp());

      assertThat(passes).as("15 keys do not fit in one pass").isGreaterThan(3);
      assertCompactionOf(appended, readAll(log), log.activeBaseOffset());
      assertThat(cleaner.clean(reference).caughtUp()).as("a roomy map needs one pass").isTrue();
      assertThat(readAll(log)).as("same result as one roomy pass").isEqualTo(readAll(reference));
      log.close();
      reference.close();
    }
  }

  /** The invariants of a compacted log, checked against what was appended. */
  private static void assertCompactionOf(
      List<Entry> appended, List<Entry> compacted, long activeBaseOffset) {
    Map<Long, Entry> byOffset = new HashMap<>();
    appended.forEach(entry -> byOffset.put(entry.offset(), entry));
    for (Entry entry : compacted) {
      assertThat(byOffset.get(entry.offset()))
          .as("offset %d unchanged", entry.offset())
          .isEqualTo(entry);
    }
    assertThat(replay(compacted)).isEqualTo(replay(appended));
    Set<String> closedKeys = new HashSet<>();
    for (Entry entry : compacted) {
      if (entry.offset() < activeBaseOffset) {
        assertThat(closedKeys.add(entry.key())).as("key %s once", entry.key()).isTrue();
      }
    }
  }

  /** The reference model: the latest value per key; a tombstone deletes its key. */
  private static Map<String, String> replay(List<Entry> entries) {
    Map<String, String> latest = new LinkedHashMap<>();
    for (Entry entry : entries) {
      if (entry.value() == null) {
        latest.remove(entry.key());
      } else {
        latest.put(entry.key(), entry.value());
      }
    }
    return latest;
  }

  private List<Entry> appendRandom(PartitionLog log, Random random, int count, int keys)
      throws IOException {
    List<Entry> appended = new ArrayList<>();
    while (appended.size() < count) {
      int size = 1 + random.nextInt(3);
      String[] keyValues = new String[size * 2];
      for (int i = 0; i < size; i++) {
        keyValues[2 * i] = "k" + random.nextInt(keys);
        keyValues[2 * i + 1] = random.nextInt(10) == 0 ? null : "v" + appended.size() + "-" + i;
      }
      Compression compression =
          random.nextBoolean() ? Compression.NONE : Compression.gzip().build();
      appended.addAll(append(log, compression, keyValues));
    }
    return appended;
  }

  /** Appends one batch of key/value pairs (a null value is a tombstone). */
  private List<Entry> append(PartitionLog log, Compression compression, String... keyValues)
      throws IOException {
    SimpleRecord[] records = new SimpleRecord[keyValues.length / 2];
    for (int i = 0; i < records.length; i++) {
      String value = keyValues[2 * i + 1];
      records[i] =
          new SimpleRecord(
              clock.millis(),
              keyValues[2 * i].getBytes(StandardCharsets.UTF_8),
              value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
    PartitionLog.AppendedRange range =
        log.append(MemoryRecords.withRecords(compression, records), false);
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < records.length; i++) {
      entries.add(new Entry(range.firstOffset() + i, keyValues[2 * i], keyValues[2 * i + 1]));
    }
    return entries;
  }

  /** Every record from the log start to its end, reading as a consumer would, batch by batch. */
  private static List<Entry> readAll(PartitionLog log) {
    List<Entry> entries = new ArrayList<>();
    long offset = log.logStartOffset();
    while (offset < log.logEndOffset()) {
      Records records = log.read(offset, 1 << 20, true);
      for (RecordBatch batch : records.batches()) {
        for (Record record : batch) {
          if (record.offset() >= offset) {
            entries.add(
                new Entry(
                    record.offset(),
                    StandardCharsets.UTF_8.decode(record.key()).toString(),
                    record.hasValue()
                        ? StandardCharsets.UTF_8.decode(record.value()).toString()
                        : null));
          }
        }
        offset = batch.lastOffset() + 1;
      }
    }
    return entries;
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(path -> path.toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static void copyDirectory(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (Path file : files(from, "")) {
      Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
    }
  }
}
