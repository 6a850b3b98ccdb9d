package dev.ferry.broker.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only log of one partition: a directory of {@link LogSegment}s ordered by base offset,
 * of which only the last, the active segment, takes appends.
 *
 * <p>On disk: {@code <data-dir>/<topic>-<partition>/} holds the segment files named by base offset.
 * The log start offset is the base offset of the first segment (retention only deletes whole
 * segments); the log end offset is one past the last appended offset.
 *
 * <p>Durability: every segment is sealed and fsynced before the next one is created, so after a
 * crash only the active segment can hold a torn or partly written tail. Opening a log that was not
 * closed cleanly therefore validates just the active segment (size and CRC of every batch),
 * truncates it after the last valid batch and rebuilds its indexes; older segments keep theirs
 * unless an index breaks an invariant. Further flushing follows the {@link FlushPolicy}.
 *
 * <p>Thread-safety: mutators ({@link #append}, {@link #flush}, {@link #deleteRetainedSegments},
 * {@link #close}) synchronise on this object. {@link #flushForCommit} takes the lock only to read
 * what to force and to record what it forced, not for the fsync itself. Reads ({@link #read},
 * {@link #offsetForTimestamp}) take no lock: the segment map is concurrent and the end offset is
 * volatile and published after the bytes are written.
 */
public final class PartitionLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);

  private final Path dir;
  private final LogConfig config;
  private final Clock clock;
  private final ConcurrentNavigableMap<Long, LogSegment> segments;
  // Volatile: read by fetches and ListOffsets without the lock, written under it after a write.
  private volatile long logEndOffset;
  // Everything below is on disk. Volatile: group commit reads it outside the lock, and it is only
  // ever raised, under the lock.
  private volatile long flushedOffset;
  // Where the cleaner's next pass starts mapping keys; everything below was mapped by an earlier
  // pass. Touched only by the cleaner, one pass at a time (LogCleaner.clean is synchronised).
  private long firstDirtyOffset;
  // Segments removed by retention whose files are unlinked but still open; closed one retention
  // pass later so that reads racing with the deletion do not hit a closed channel.
  private final List<LogSegment> retired = new ArrayList<>();

  private PartitionLog(
      Path dir, LogConfig config, Clock clock, ConcurrentNavigableMap<Long, LogSegment> segments) {
    this.dir = dir;
    this.config = config;
    this.clock = clock;
    this.segments = segments;
    this.logEndOffset = segments.lastEntry().getValue().nextOffset();
    this.flushedOffset = logEndOffset;
  }

  /**
   * Opens (or creates) the log in {@code dir}.
   *
   * @param recover whether the broker stopped uncleanly, so the active segment must be validated
   */
  public static PartitionLog open(Path dir, LogConfig config, Clock clock, boolean recover)
      throws IOException {
    Files.createDirectories(dir);
    Set<Long> swapped = finishInterruptedCompaction(dir);
    List<Long> baseOffsets = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files
          .map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".log"))
          .forEach(name -> baseOffsets.add(Long.parseLong(name.substring(0, name.length() - 4))));
    }
    baseOffsets.sort(null);
    ConcurrentNavigableMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
    long nowMs = clock.millis();
    for (int i = 0; i < baseOffsets.size(); i++) {
      boolean active = i == baseOffsets.size() - 1;
      long baseOffset = baseOffsets.get(i);
      segments.put(
          baseOffset,
          LogSegment.open(
              dir,
              baseOffset,
              config.indexIntervalBytes(),
              (recover && active) || swapped.contains(baseOffset),
              nowMs));
    }
    if (segments.isEmpty()) {
      segments.put(0L, LogSegment.create(dir, 0L, config.indexIntervalBytes(), nowMs));
    }
    PartitionLog partitionLog = new PartitionLog(dir, config, clock, segments);
    if (recover) {
      log.info(
          "Recovered {}: {} segment(s), log end offset {}",
          dir.getFileName(),
          segments.size(),
          partitionLog.logEndOffset());
    }
    return partitionLog;
  }

  /**
   * Completes or undoes a compaction that a crash interrupted, as Kafka does with its {@code
   * .cleaned} and {@code .swap} files. A {@code .log.cleaned} file may be incomplete, so it is
   * deleted and the original segment stays. A {@code .log.swap} file was complete and forced to
   * disk before it got that name, so the swap is finished: the stale indexes go and the swap file
   * replaces the segment's {@code .log}.
   *
   * @return the base offsets of the segments replaced, whose indexes must be rebuilt
   */
  private static Set<Long> finishInterruptedCompaction(Path dir) throws IOException {
    Set<Long> swapped = new HashSet<>();
    List<Path> leftovers;
    try (Stream<Path> files = Files.list(dir)) {
      leftovers =
          files
              .filter(
                  path -> {
                    String name = path.getFileName().toString();
                    return name.endsWith(LogCleaner.CLEANED_SUFFIX)
                        || name.endsWith(LogCleaner.SWAP_SUFFIX);
                  })
              .toList();
    }
    for (Path path : leftovers) {
      String name = path.getFileName().toString();
      if (name.endsWith(LogCleaner.CLEANED_SUFFIX)) {
        log.info("Deleting {}, left by an interrupted compaction", path);
        Files.delete(path);
      } else {
        long baseOffset = Long.parseLong(name.substring(0, name.indexOf('.')));
        log.info("Finishing the compaction of segment {} in {}", baseOffset, dir);
        replaceSegmentFile(dir, baseOffset, path);
        swapped.add(baseOffset);
      }
    }
    return swapped;
  }

  /**
   * The commit point of a compaction: deletes the segment's indexes (they describe the old file and
   * are rebuilt) and atomically renames {@code swapFile} over its {@code .log}. Readers holding the
   * old segment keep reading the old, now unlinked, file.
   */
  private static void replaceSegmentFile(Path dir, long baseOffset, Path swapFile)
      throws IOException {
    Files.deleteIfExists(dir.resolve(LogSegment.fileName(baseOffset, ".index")));
    Files.deleteIfExists(dir.resolve(LogSegment.fileName(baseOffset, ".timeindex")));
    Files.move(
        swapFile,
        dir.resolve(LogSegment.fileName(baseOffset, ".log")),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    AtomicFile.fsyncDirectory(dir);
  }

  /**
   * One cleaning pass (see {@link LogCleaner}) when the cleanup policy compacts: maps the keys of
   * the dirty closed segments into {@code map}, then rewrites each closed segment up to the map's
   * end without the lock to {@code .log.cleaned}, forces it to disk, renames it to {@code
   * .log.swap} and then, under the lock, renames it over the original, so a crash at any point
   * leaves either the old or the new segment. A segment that retention deleted meanwhile is left
   * alone. Called by the {@link LogCleaner}, one pass at a time.
   */
  CleaningPass compact(OffsetMap map) throws IOException {
    long activeBase = segments.lastKey();
    List<LogSegment> closed = List.copyOf(segments.headMap(activeBase).values());
    if (!config.cleanupPolicy().compacts() || closed.isEmpty()) {
      return new CleaningPass(0, activeBase, activeBase, activeBase);
    }
    long dirtyFrom = Math.max(firstDirtyOffset, closed.get(0).baseOffset());
    long mapEnd = LogCleaner.buildOffsetMap(closed, dirtyFrom, activeBase, map);
    long nowMs = clock.millis();
    long bytesBefore = 0;
    long bytesAfter = 0;
    int replaced = 0;
    for (LogSegment segment : closed) {
      if (segment.baseOffset() >= mapEnd) {
        break;
      }
      Optional<Path> cleaned =
          LogCleaner.cleanSegment(segment, map, mapEnd, nowMs, config.deleteRetentionMs());
      if (cleaned.isEmpty()) {
        continue;
      }
      Path swap = segment.path(LogCleaner.SWAP_SUFFIX);
      Files.move(cleaned.get(), swap, StandardCopyOption.ATOMIC_MOVE);
      AtomicFile.fsyncDirectory(dir);
      Optional<LogSegment> replacement = swapIn(segment, swap, nowMs);
      if (replacement.isPresent()) {
        bytesBefore += segment.sizeInBytes();
        bytesAfter += replacement.get().sizeInBytes();
        replaced++;
      }
    }
    firstDirtyOffset = mapEnd;
    if (replaced > 0) {
      log.info(
          "Compacted {} segment(s) of {} up to offset {} with {} key(s) mapped: {} -> {} bytes",
          replaced,
          dir.getFileName(),
          mapEnd,
          map.size(),
          bytesBefore,
          bytesAfter);
    }
    return new CleaningPass(replaced, dirtyFrom, mapEnd, activeBase);
  }

  private synchronized Optional<LogSegment> swapIn(LogSegment old, Path swap, long nowMs)
      throws IOException {
    if (segments.get(old.baseOffset()) != old) {
      Files.deleteIfExists(swap);
      return Optional.empty();
    }
    replaceSegmentFile(dir, old.baseOffset(), swap);
    LogSegment replacement =
        LogSegment.open(dir, old.baseOffset(), config.indexIntervalBytes(), true, nowMs);
    segments.put(old.baseOffset(), replacement);
    retired.add(old);
    return Optional.of(replacement);
  }

  /**
   * Assigns offsets to validated batches by rewriting their headers in place and appends them to
   * the active segment (rolling first if needed). Produce appends do not flush here: they wait for
   * a {@link GroupCommit} flush (see {@link #flushForCommit}), so no request handler blocks on
   * fsync.
   *
   * @param durable force the batch to disk before returning (for small internal logs such as the
   *     offsets log, whose writer needs the commit durable before it publishes it)
   * @return the first and last offsets assigned
   */
  public synchronized AppendedRange append(MemoryRecords batches, boolean durable)
      throws IOException {
    long firstOffset = logEndOffset;
    long next = firstOffset;
    for (MutableRecordBatch batch : batches.batches()) {
      // Base offset and leader epoch lie outside the batch CRC, so rewriting them keeps it valid.
      batch.setLastOffset(next + (batch.lastOffset() - batch.baseOffset()));
      batch.setPartitionLeaderEpoch(0);
      next = batch.lastOffset() + 1;
    }
    if (next == firstOffset) {
      return new AppendedRange(firstOffset, firstOffset - 1);
    }
    LogSegment active = maybeRoll(batches.sizeInBytes(), next - 1);
    active.append(batches);
    logEndOffset = next;
    if (durable) {
      flush();
    }
    return new AppendedRange(firstOffset, next - 1);
  }

  private LogSegment maybeRoll(int bytes, long lastOffset) throws IOException {
    LogSegment active = segments.lastEntry().getValue();
    long nowMs = clock.millis();
    boolean full = active.sizeInBytes() > config.segmentBytes() - bytes;
    boolean old = nowMs - active.createdMs() > config.segmentMs();
    boolean offsetsOverflow = lastOffset - active.baseOffset() > Integer.MAX_VALUE;
    if (active.isEmpty() || !(full || old || offsetsOverflow)) {
      return active;
    }
    active.seal();
    flushedOffset = logEndOffset;
    LogSegment rolled = LogSegment.create(dir, logEndOffset, config.indexIntervalBytes(), nowMs);
    segments.put(rolled.baseOffset(), rolled);
    log.debug("Rolled {} at offset {}", dir.getFileName(), rolled.baseOffset());
    return rolled;
  }

  /**
   * Reads from {@code offset} on, at most {@code maxBytes} unless the first batch is larger and
   * {@code minOneBatch} asks for it whole.
   *
   * @throws OffsetOutOfRangeException when the offset is before the log start or after the end
   */
  public Records read(long offset, int maxBytes, boolean minOneBatch) {
    long end = logEndOffset;
    if (offset < logStartOffset() || offset > end) {
      throw new OffsetOutOfRangeException(
          "offset " + offset + " is outside [" + logStartOffset() + ", " + end + "]");
    }
    if (offset == end) {
      return MemoryRecords.EMPTY;
    }
    Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
    while (entry != null) {
      Optional<Records> records = entry.getValue().read(offset, maxBytes, minOneBatch);
      if (records.isPresent()) {
        return records.get();
      }
      entry = segments.higherEntry(entry.getKey());
    }
    return MemoryRecords.EMPTY;
  }

  /** The first record whose timestamp is at or after {@code timestamp}, if any. */
  public Optional<FileRecords.TimestampAndOffset> offsetForTimestamp(long timestamp) {
    for (LogSegment segment : segments.values()) {
      Optional<FileRecords.TimestampAndOffset> found = segment.findOffsetByTimestamp(timestamp);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** The largest record timestamp in the log, if it holds any record with a timestamp. */
  public Optional<Long> maxTimestamp() {
    long max = segments.values().stream().mapToLong(LogSegment::maxTimestamp).max().orElse(-1);
    return max < 0 ? Optional.empty() : Optional.of(max);
  }

  /**
   * Forces the records appended so far to disk without holding the append lock during the fsync, so
   * appends continue while it runs; the {@link GroupCommit.Flusher} of this log, and the periodic
   * flush of the {@code interval} policy.
   *
   * <p>Why it is safe: the end offset and the active segment are read together under the lock, and
   * the end offset is published only after its bytes are written, so forcing that segment's file
   * makes every offset below the captured end durable. If the segment rolls meanwhile, the roll
   * itself forced it. Indexes are not forced: recovery rebuilds the active segment's indexes.
   *
   * @return the offset below which every record is on disk
   */
  public long flushForCommit() throws IOException {
    long target;
    LogSegment active;
    synchronized (this) {
      target = logEndOffset;
      if (target <= flushedOffset) {
        return flushedOffset;
      }
      active = segments.lastEntry().getValue();
    }
    active.flushRecords();
    synchronized (this) {
      flushedOffset = Math.max(flushedOffset, target);
      return flushedOffset;
    }
  }

  /** The offset below which every record is on disk. */
  public long flushedOffset() {
    return flushedOffset;
  }

  /** Forces every appended byte, and the active segment's indexes, to disk. */
  public synchronized void flush() throws IOException {
    if (flushedOffset < logEndOffset) {
      segments.lastEntry().getValue().flush();
      flushedOffset = logEndOffset;
    }
  }

  /**
   * Deletes whole inactive segments that are older than {@code retention.ms} or that keep the log
   * above {@code retention.bytes}, oldest first. The active segment is never deleted. Deleted
   * segments leave the directory at once and are closed at the next call.
   *
   * @return the number of segments deleted
   */
  public synchronized int deleteRetainedSegments() throws IOException {
    closeRetired();
    if (!config.cleanupPolicy().deletes()) {
      return 0;
    }
    long nowMs = clock.millis();
    long totalBytes = sizeInBytes();
    int deleted = 0;
    while (segments.size() > 1) {
      LogSegment oldest = segments.firstEntry().getValue();
      boolean expired =
          config.retentionMs() >= 0 && nowMs - oldest.maxTimestamp() > config.retentionMs();
      boolean oversized =
          config.retentionBytes() >= 0
              && totalBytes - oldest.sizeInBytes() >= config.retentionBytes();
      if (!expired && !oversized) {
        break;
      }
      segments.remove(oldest.baseOffset());
      totalBytes -= oldest.sizeInBytes();
      oldest.unlink();
      retired.add(oldest);
      deleted++;
    }
    if (deleted > 0) {
      log.info(
          "Retention deleted {} segment(s) of {}; log start offset is now {}",
          deleted,
          dir.getFileName(),
          logStartOffset());
    }
    return deleted;
  }

  /**
   * Visits every batch header from the start of the log, reading headers only, for rebuilding
   * producer state on start-up.
   */
  public void forEachBatch(Consumer<RecordBatch> visitor) {
    forEachBatchFrom(logStartOffset(), visitor);
  }

  /**
   * Visits every batch header whose base offset is at or after {@code offset}, skipping whole
   * segments before it; for replaying producer state after a snapshot.
   */
  public void forEachBatchFrom(long offset, Consumer<RecordBatch> visitor) {
    for (LogSegment segment : segments.values()) {
      if (segment.nextOffset() <= offset) {
        continue;
      }
      segment
          .read(Math.max(offset, segment.baseOffset()), Integer.MAX_VALUE, true)
          .ifPresent(
              records ->
                  records
                      .batches()
                      .forEach(
                          batch -> {
                            if (batch.baseOffset() >= offset) {
                              visitor.accept(batch);
                            }
                          }));
    }
  }

  /** The base offset of the active segment; it changes when the log rolls. */
  public long activeBaseOffset() {
    return segments.lastKey();
  }

  public long logStartOffset() {
    return segments.firstKey();
  }

  public long logEndOffset() {
    return logEndOffset;
  }

  public long sizeInBytes() {
    return segments.values().stream().mapToLong(LogSegment::sizeInBytes).sum();
  }

  public int segmentCount() {
    return segments.size();
  }

  public Path dir() {
    return dir;
  }

  public LogConfig config() {
    return config;
  }

  private void closeRetired() throws IOException {
    for (LogSegment segment : retired) {
      segment.close();
    }
    retired.clear();
  }

  /** Closes the files, sealing the active segment so the next start needs no recovery. */
  @Override
  public synchronized void close() throws IOException {
    closeRetired();
    segments.lastEntry().getValue().seal();
    for (LogSegment segment : segments.values()) {
      segment.close();
    }
  }

  /** Closes and removes every file of this log (topic deletion). */
  public synchronized void delete() throws IOException {
    closeRetired();
    for (LogSegment segment : segments.values()) {
      segment.delete();
    }
    segments.clear();
    try (Stream<Path> leftovers = Files.list(dir)) {
      for (Path path : leftovers.toList()) {
        Files.deleteIfExists(path);
      }
    }
    Files.deleteIfExists(dir);
  }

  /**
   * The offsets assigned by one append.
   *
   * @param firstOffset the base offset of the first batch
   * @param lastOffset the last offset of the last batch
   */
  public record AppendedRange(long firstOffset, long lastOffset) {}

  /**
   * What one cleaning pass did.
   *
   * @param segmentsReplaced closed segments replaced by a compacted copy
   * @param dirtyFrom where the pass started mapping keys
   * @param cleanedUpTo where the key map ended: records from here on were kept as they were, and
   *     the next pass maps from here
   * @param dirtyEnd the end of the closed segments, i.e. the active segment's base offset
   */
  public record CleaningPass(
      int segmentsReplaced, long dirtyFrom, long cleanedUpTo, long dirtyEnd) {

    /** Whether the pass mapped every closed segment's keys, so nothing is left for another pass. */
    public boolean caughtUp() {
      return cleanedUpTo == dirtyEnd;
    }
  }
}
