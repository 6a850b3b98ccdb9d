package dev.ferry.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * <p>The latest offset of each key comes from the closed segments only. The active segment is
 * excluded because its tail may not be on disk yet: a crash could take the newer record away after
 * the cleaner had removed the older one, losing the key. Closed segments were fsynced before their
 * successor was created, so a record superseded there is superseded for good.
 *
 * <p>Offsets never change: a cleaned batch keeps the offsets of the records it retains, so the log
 * has gaps, which Kafka consumers expect of compacted topics. A segment's last batch and every
 * batch of an idempotent producer are kept even when all their records go, as empty batches, so the
 * segment still ends at the same offset and producer sequences stay continuous on replay. Records
 * without a key are never removed.
 *
 * <p>The key map lives on the heap (one entry per distinct key of the closed segments); Kafka
 * bounds it with {@code log.cleaner.dedupe.buffer.size} and cleans in several passes, which this
 * broker does not yet need.
 *
 * <p>Thread-safety: stateless; reads only closed segments, which nothing but retention and the
 * cleaner itself change, both through {@link PartitionLog}.
 */
final class LogCleaner {

  static final String CLEANED_SUFFIX = ".log.cleaned";
  static final String SWAP_SUFFIX = ".log.swap";

  private LogCleaner() {}

  /** The offset of the latest record of every key in {@code segments}, which are in log order. */
  static Map<ByteBuffer, Long> latestOffsets(List<LogSegment> segments) {
    Map<ByteBuffer, Long> latest = new HashMap<>();
    for (LogSegment segment : segments) {
      for (FileChannelRecordBatch batch : segment.records().batches()) {
        for (Record record : batch) {
          if (record.hasKey()) {
            latest.put(copy(record.key()), record.offset());
          }
        }
      }
    }
    return latest;
  }

  /** A key of its own, so the map does not pin the whole batch buffer the record was read from. */
  private static ByteBuffer copy(ByteBuffer key) {
    ByteBuffer copy = ByteBuffer.allocate(key.remaining());
    copy.put(key.duplicate()).flip();
    return copy;
  }

  /**
   * Writes the compacted copy of {@code segment} to {@code <base>.log.cleaned} and forces it to
   * disk.
   *
   * @return the cleaned file, or empty when compaction would remove nothing
   */
  static Optional<Path> clean(
      LogSegment segment, Map<ByteBuffer, Long> latest, long nowMs, long deleteRetentionMs)
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
        Filter filter = new Filter(latest, nowMs, deleteRetentionMs, !batches.hasNext());
        MemoryRecords.FilterResult result =
            MemoryRecords.readableRecords(source)
                .filterTo(
                    filter, ByteBuffer.allocate(batch.sizeInBytes()), BufferSupplier.NO_CACHING);
        removedAny |= result.messagesRetained() < result.messagesRead();
        ByteBuffer output = result.outputBuffer();
        output.flip();
        cleaned.append(MemoryRecords.readableRecords(output));
      }
      cleaned.flush();
    }
    if (!removedAny) {
      Files.delete(cleanedPath);
      return Optional.empty();
    }
    return Optional.of(cleanedPath);
  }

  /** Decides per record; see the class comment for the rules. */
  private static final class Filter extends RecordFilter {

    private final Map<ByteBuffer, Long> latest;
    private final boolean lastBatchOfSegment;

    Filter(Map<ByteBuffer, Long> latest, long nowMs, long deleteRetentionMs, boolean lastBatch) {
      super(nowMs, deleteRetentionMs);
      this.latest = latest;
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
      if (!record.hasKey()) {
        return true;
      }
      Long latestOffset = latest.get(record.key());
      if (latestOffset != null && record.offset() < latestOffset) {
        return false;
      }
      boolean tombstone = !record.hasValue();
      return !tombstone || batch.maxTimestamp() + deleteRetentionMs > currentTime;
    }
  }
}
