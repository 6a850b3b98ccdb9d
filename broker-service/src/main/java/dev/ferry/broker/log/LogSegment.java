package dev.ferry.broker.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition log: a {@code .log} file of record batches plus its two lazily
 * consulted sparse indexes.
 *
 * <p>On-disk format: the files are named by the segment's base offset, the offset of its first
 * record, zero-padded to 20 digits ({@code 00000000000000000042.log}, {@code .index}, {@code
 * .timeindex}), so a directory listing sorts segments in offset order and a reader finds the
 * segment for an offset with a floor lookup. The {@code .log} file is a plain concatenation of
 * Kafka v2 record batches exactly as the producer sent them except for the header fields the broker
 * rewrites (base offset, partition leader epoch), which lie outside the CRC; that is what lets a
 * fetch return file bytes unchanged.
 *
 * <p>Invariants, checked on append and on recovery: batches are magic v2, their offsets strictly
 * increase from the base offset, and the segment spans at most {@link Integer#MAX_VALUE} offsets so
 * relative index offsets fit in four bytes.
 *
 * <p>Thread-safety: {@link #append}, {@link #recover}, {@link #flush} and {@link #close} are called
 * by the owning {@link PartitionLog} under its lock; {@link #flushRecords} also runs on a flush
 * thread without it, concurrently with appends. Reads may run concurrently with an append: {@link
 * FileRecords} publishes its size only after the bytes are written, and the fields readers use are
 * volatile.
 */
public final class LogSegment implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LogSegment.class);

  private final long baseOffset;
  private final FileRecords records;
  private final OffsetIndex offsetIndex;
  private final TimeIndex timeIndex;
  private final int indexIntervalBytes;
  private int bytesSinceLastIndexEntry;
  // Volatile: read by fetch and ListOffsets threads without the partition lock.
  private volatile long nextOffset;
  private volatile long maxTimestamp = RecordBatch.NO_TIMESTAMP;
  private final long createdMs;

  private LogSegment(
      long baseOffset,
      FileRecords records,
      OffsetIndex offsetIndex,
      TimeIndex timeIndex,
      int indexIntervalBytes,
      long createdMs) {
    this.baseOffset = baseOffset;
    this.records = records;
    this.offsetIndex = offsetIndex;
    this.timeIndex = timeIndex;
    this.indexIntervalBytes = indexIntervalBytes;
    this.nextOffset = baseOffset;
    this.createdMs = createdMs;
  }

  static String fileName(long baseOffset, String suffix) {
    return String.format("%020d%s", baseOffset, suffix);
  }

  /** Creates a new empty segment, replacing any leftover files of the same base offset. */
  static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, long nowMs)
      throws IOException {
    Files.deleteIfExists(dir.resolve(fileName(baseOffset, ".log")));
    FileRecords records = FileRecords.open(dir.resolve(fileName(baseOffset, ".log")).toFile());
    return new LogSegment(
        baseOffset,
        records,
        OffsetIndex.create(dir.resolve(fileName(baseOffset, ".index")), baseOffset),
        TimeIndex.create(dir.resolve(fileName(baseOffset, ".timeindex")), baseOffset),
        indexIntervalBytes,
        nowMs);
  }

  /**
   * Opens an existing segment. When {@code recover} is set the indexes are rebuilt and the log is
   * validated batch by batch, truncating at the first torn or corrupt batch; otherwise the indexes
   * are loaded from disk, and rebuilt only if they break an invariant.
   */
  static LogSegment open(
      Path dir, long baseOffset, int indexIntervalBytes, boolean recover, long nowMs)
      throws IOException {
    FileRecords records = FileRecords.open(dir.resolve(fileName(baseOffset, ".log")).toFile());
    Path offsetIndexPath = dir.resolve(fileName(baseOffset, ".index"));
    Path timeIndexPath = dir.resolve(fileName(baseOffset, ".timeindex"));
    if (!recover) {
      try {
        OffsetIndex offsetIndex =
            OffsetIndex.load(offsetIndexPath, baseOffset, Math.max(1, records.sizeInBytes()));
        TimeIndex timeIndex = TimeIndex.load(timeIndexPath, baseOffset);
        LogSegment segment =
            new LogSegment(baseOffset, records, offsetIndex, timeIndex, indexIntervalBytes, nowMs);
        segment.loadTail();
        return segment;
      } catch (CorruptIndexException e) {
        log.warn("{}; rebuilding it from the log", e.getMessage());
      }
    }
    LogSegment segment =
        new LogSegment(
            baseOffset,
            records,
            OffsetIndex.create(offsetIndexPath, baseOffset),
            TimeIndex.create(timeIndexPath, baseOffset),
            indexIntervalBytes,
            nowMs);
    segment.recover();
    return segment;
  }

  /** Finds the next offset by scanning batch headers after the last index entry. */
  private void loadTail() {
    OffsetIndex.OffsetPosition last = offsetIndex.lookup(Long.MAX_VALUE);
    long next = baseOffset;
    for (FileChannelRecordBatch batch : records.batchesFrom(last.position())) {
      next = batch.lastOffset() + 1;
    }
    if (records.sizeInBytes() > 0 && next <= last.offset()) {
      throw CorruptIndexException.of(
          fileName(baseOffset, ".index"), "last entry does not point at a batch");
    }
    nextOffset = next;
    maxTimestamp = timeIndex.lastTimestamp();
    bytesSinceLastIndexEntry = records.sizeInBytes() - last.position();
  }

  /**
   * Validates every batch (size, CRC, magic, increasing offsets), rebuilds both indexes and
   * truncates the file after the last valid batch.
   *
   * @return the number of bytes truncated
   */
  int recover() throws IOException {
    offsetIndex.truncateTo(baseOffset);
    timeIndex.truncateTo(baseOffset);
    bytesSinceLastIndexEntry = 0;
    maxTimestamp = RecordBatch.NO_TIMESTAMP;
    long next = baseOffset;
    int validBytes = 0;
    Iterator<FileChannelRecordBatch> batches = records.batches().iterator();
    try {
      while (batches.hasNext()) {
        FileChannelRecordBatch batch = batches.next();
        batch.ensureValid();
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2
            || batch.baseOffset() < next
            || batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
          throw new CorruptRecordException(
              "batch at position " + validBytes + " breaks the log invariants");
        }
        indexBatch(batch, validBytes);
        next = batch.lastOffset() + 1;
        validBytes += batch.sizeInBytes();
      }
    } catch (CorruptRecordException e) {
      log.warn("{} is corrupt after byte {}: {}", records.file(), validBytes, e.getMessage());
    }
    nextOffset = next;
    int truncated = records.sizeInBytes() - validBytes;
    if (truncated > 0) {
      log.warn("Truncating {} bytes of torn or corrupt tail from {}", truncated, records.file());
      records.truncateTo(validBytes);
    }
    return truncated;
  }

  /**
   * Appends batches whose offsets the caller already assigned. Called with the partition lock held.
   *
   * @throws IllegalArgumentException when the offsets do not follow this segment's end
   */
  void append(MemoryRecords batches) throws IOException {
    int position = records.sizeInBytes();
    long next = nextOffset;
    for (RecordBatch batch : batches.batches()) {
      if (batch.baseOffset() < next || batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "batch offsets "
                + batch.baseOffset()
                + ".."
                + batch.lastOffset()
                + " do not follow segment end "
                + next);
      }
      indexBatch(batch, position);
      next = batch.lastOffset() + 1;
      position += batch.sizeInBytes();
    }
    records.append(batches);
    // Published after the write so a reader never looks for an offset whose bytes are missing.
    nextOffset = next;
  }

  private void indexBatch(RecordBatch batch, int position) throws IOException {
    if (batch.maxTimestamp() > maxTimestamp) {
      maxTimestamp = batch.maxTimestamp();
    }
    if (bytesSinceLastIndexEntry > indexIntervalBytes) {
      offsetIndex.append(batch.baseOffset(), position);
      timeIndex.maybeAppend(maxTimestamp, batch.lastOffset());
      bytesSinceLastIndexEntry = 0;
    }
    bytesSinceLastIndexEntry += batch.sizeInBytes();
  }

  /**
   * Returns the bytes from the batch containing {@code startOffset} on, at most {@code maxBytes}
   * unless the first batch alone is larger and {@code minOneBatch} asks for it whole (so a consumer
   * always progresses), or empty when the offset is past this segment.
   */
  public Optional<Records> read(long startOffset, int maxBytes, boolean minOneBatch) {
    if (startOffset >= nextOffset) {
      return Optional.empty();
    }
    OffsetIndex.OffsetPosition from = offsetIndex.lookup(startOffset);
    FileRecords.LogOffsetPosition found =
        records.searchForOffsetFromPosition(startOffset, from.position());
    if (found == null) {
      return Optional.empty();
    }
    int available = records.sizeInBytes() - found.position;
    int size = Math.min(available, minOneBatch ? Math.max(maxBytes, found.size) : maxBytes);
    return Optional.of(records.slice(found.position, size));
  }

  /** The first record at or after {@code timestamp}, if this segment holds one. */
  public Optional<FileRecords.TimestampAndOffset> findOffsetByTimestamp(long timestamp) {
    if (maxTimestamp < timestamp) {
      return Optional.empty();
    }
    long startOffset = timeIndex.lookupStartOffset(timestamp);
    int position = offsetIndex.lookup(startOffset).position();
    return Optional.ofNullable(records.searchForTimestamp(timestamp, position, startOffset));
  }

  /**
   * Seals the segment before the next one takes writes: records its largest timestamp in the time
   * index (so a later load knows it without a scan) and forces everything to disk, which is what
   * limits crash recovery to the active segment.
   */
  void seal() throws IOException {
    if (nextOffset > baseOffset) {
      timeIndex.maybeAppend(maxTimestamp, nextOffset - 1);
    }
    flush();
  }

  void flush() throws IOException {
    flushRecords();
    offsetIndex.flush();
    timeIndex.flush();
  }

  /**
   * Forces the {@code .log} file's data only. Safe to call concurrently with an append: the
   * channel's force covers whatever was written before it started. {@code force(false)} is {@code
   * fdatasync}: it skips timestamps but still forces the file length, which is all recovery needs
   * to find the appended batches.
   */
  void flushRecords() throws IOException {
    records.channel().force(false);
  }

  public long baseOffset() {
    return baseOffset;
  }

  /** One past the last offset in this segment; the base offset when empty. */
  public long nextOffset() {
    return nextOffset;
  }

  /** The largest record timestamp in this segment, or -1 when empty. */
  public long maxTimestamp() {
    return maxTimestamp;
  }

  /** When this segment was created or, for a segment loaded from disk, opened. */
  public long createdMs() {
    return createdMs;
  }

  public int sizeInBytes() {
    return records.sizeInBytes();
  }

  public boolean isEmpty() {
    return records.sizeInBytes() == 0;
  }

  FileRecords records() {
    return records;
  }

  /** A file of this segment with another suffix, e.g. its {@code .log.cleaned} copy. */
  Path path(String suffix) {
    return records.file().toPath().resolveSibling(fileName(baseOffset, suffix));
  }

  OffsetIndex offsetIndex() {
    return offsetIndex;
  }

  TimeIndex timeIndex() {
    return timeIndex;
  }

  /**
   * Removes the segment's files from the directory but keeps them open, so a read that found this
   * segment just before can still finish; {@link #close()} later frees the space.
   */
  void unlink() throws IOException {
    Files.deleteIfExists(records.file().toPath());
    Files.deleteIfExists(offsetIndex.path());
    Files.deleteIfExists(timeIndex.path());
  }

  void delete() throws IOException {
    records.closeHandlers();
    Files.deleteIfExists(records.file().toPath());
    offsetIndex.delete();
    timeIndex.delete();
  }

  @Override
  public void close() throws IOException {
    records.close();
    offsetIndex.close();
    timeIndex.close();
  }

  @Override
  public String toString() {
    return "LogSegment(" + records.file() + ", next=" + nextOffset + ")";
  }
}
