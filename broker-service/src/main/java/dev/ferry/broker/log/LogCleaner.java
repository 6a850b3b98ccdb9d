package dev.ferry.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecords.RecordFilter;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;

/**
 * Compaction of closed segments, as Kafka's log cleaner does it: keep only the latest record per
 * key, and drop a key's latest record too once it is a tombstone (a key without a value) older than
 * {@code delete.retention.ms}, so consumers had that long to see the deletion.
 *
 * <p>A pass over one log ({@link #clean}) maps the latest offset of every key of the log's
 * <em>dirty</em> section, the closed segments from its first dirty offset on, into an {@link
 * OffsetMap} of fixed memory, then rewrites every closed segment up to where the map ends, dropping
 * each record whose key the map holds at a later offset. When the map fills before the dirty
 * section ends, the map ends at the first record that did not fit: records from there on are kept
 * whatever they are, and the next pass starts mapping there. So a log with more keys than the map
 * holds is cleaned in several passes, each bounded in memory, and converges: a superseded record is
 * dropped by the pass whose dirty section holds the record that supersedes it. For the same reason
 * an expired tombstone is dropped only below the map's end, that is once a pass has mapped it and
 * so dropped every older record of its key; beyond the end it could outlive nothing yet.
 *
 * <p>The dirty section comes from the closed segments only. The active segment is excluded because
 * its tail may not be on disk yet: a crash could take the newer record away after the cleaner had
 * removed the older one, losing the key. Closed segments were fsynced before their successor was
 * created, so a record superseded there is superseded for good. The first dirty offset is kept in
 * memory; after a restart the first pass maps from the log start again.
 *
 * <p>Offsets never change: a cleaned batch keeps the offsets of the records it retains, so the log
 * has gaps, which Kafka consumers expect of compacted topics. A segment's last batch and every
 * batch of an idempotent producer are kept even when all their records go, as empty batches, so the
 * segment still ends at the same offset and producer sequences stay continuous on replay. Records
 * without a key are never removed.
 *
 * <p>Thread-safety: {@link #clean} is synchronised, since every pass reuses the one map; it reads
 * only closed segments, which nothing but retention and the cleaner itself change, both through
 * {@link PartitionLog}.
 */
public final class LogCleaner {

  static final String CLEANED_SUFFIX = ".log.cleaned";
  static final String SWAP_SUFFIX = ".log.swap";

  private final OffsetMap map;

  /**
   * @param dedupeBufferBytes the memory of the key map (Kafka's {@code
   *     log.cleaner.dedupe.buffer.size}), allocated once here and reused by every pass
   */
  public LogCleaner(int dedupeBufferBytes) {
    this.map = new OffsetMap(dedupeBufferBytes);
  }

  /**
   * Runs one cleaning pass over {@code log} if its cleanup policy compacts.
   *
   * @return what the pass did
   */
  public synchronized PartitionLog.CleaningPass clean(PartitionLog log) throws IOException {
    return log.compact(map);
  }

  /**
   * Maps the latest offset of every key from {@code dirtyFrom} on in {@code segments}, which are in
   * log order, until the map is full.
   *
   * @return the end of what was mapped: the offset of the first keyed record that did not fit, or
   *     {@code end} when everything did
   */
  static long buildOffsetMap(List<LogSegment> segments, long dirtyFrom, long end, OffsetMap map) {
    map.clear();
    for (LogSegment segment : segments) {
      if (segment.nextOffset() <= dirtyFrom) {
        continue;
      }
      for (FileChannelRecordBatch batch : segment.records().batches()) {
        if (batch.lastOffset() < dirtyFrom) {
          continue;
        }
        for (Record record : batch) {
          if (record.offset() >= dirtyFrom
              && record.hasKey()
              && !map.put(record.key(), record.offset())) {
            return record.offset();
          }
        }
      }
    }
    return end;
  }

  /**
   * Writes the compacted copy of {@code segment} to {@code <base>.log.cleaned} and, if it removed
   * anything, forces it to disk.
   *
   * @param mapEnd records at or beyond this offset are kept: the map knows nothing of them
   * @return the cleaned file, or empty when compaction would remove nothing
   */
  static Optional<Path> cleanSegment(
      LogSegment segment, OffsetMap map, long mapEnd, long nowMs, long deleteRetentionMs)
      throws IOException {
    Path cleanedPath = segment.path(CLEANED_SUFFIX);
    Files.deleteIfExists(cleanedPath);
    boolean removedAny = false;
    try (FileRecords cleaned = FileRecords.open(cleanedPath.toFile())) {
      Iterator<FileChannelRecordBatch> batches = segment.records().batches().iterator();
      while (batches.hasNext()) {
        FileChannelRecordBatch batch = batches.next();
        ByteBuffer source = ByteBuffer.allocate(batch.sizeInBytes());
        segment.records().readInto(source, batch.position());
        Filter filter = new Filter(map, mapEnd, nowMs, deleteRetentionMs, !batches.hasNext());
        MemoryRecords.FilterResult result =
            MemoryRecords.readableRecords(source)
                .filterTo(
                    filter, ByteBuffer.allocate(batch.sizeInBytes()), BufferSupplier.NO_CACHING);
        removedAny |= result.messagesRetained() < result.messagesRead();
        ByteBuffer output = result.outputBuffer();
        output.flip();
        cleaned.append(MemoryRecords.readableRecords(output));
      }
      if (removedAny) {
        // Only a copy that will replace the segment is worth an fsync; others are deleted.
        cleaned.flush();
      }
    }
    if (!removedAny) {
      Files.delete(cleanedPath);
      return Optional.empty();
    }
    return Optional.of(cleanedPath);
  }

  /** Decides per record; see the class comment for the rules. */
  private static final class Filter extends RecordFilter {

    private final OffsetMap map;
    private final long mapEnd;
    private final boolean lastBatchOfSegment;

    Filter(OffsetMap map, long mapEnd, long nowMs, long deleteRetentionMs, boolean lastBatch) {
      super(nowMs, deleteRetentionMs);
      this.map = map;
      this.mapEnd = mapEnd;
      this.lastBatchOfSegment = lastBatch;
    }

    @Override
    protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
      boolean keepEmpty = lastBatchOfSegment || batch.hasProducerId();
      return new BatchRetentionResult(
          keepEmpty ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE_EMPTY, false);
    }

    @Override
    protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
      if (!record.hasKey() || record.offset() >= mapEnd) {
        return true;
      }
      if (record.offset() < map.get(record.key())) {
        return false;
      }
      boolean tombstone = !record.hasValue();
      return !tombstone || batch.maxTimestamp() + deleteRetentionMs > currentTime;
    }
  }
}
