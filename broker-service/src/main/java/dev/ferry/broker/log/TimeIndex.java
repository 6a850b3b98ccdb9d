package dev.ferry.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A sparse map from timestamp to offset in one segment, used by ListOffsets to find the first
 * offset whose timestamp is at or after a target without reading the whole segment.
 *
 * <p>On-disk format ({@code <baseOffset>.timeindex}): 12-byte big-endian entries, an 8-byte
 * timestamp and a 4-byte offset relative to the segment's base offset, as in Kafka. An entry {@code
 * (t, o)} says that every record up to and including offset {@code o} has a timestamp of at most
 * {@code t}. Entries are added together with offset index entries (every {@code
 * index.interval.bytes}) and when a segment stops being active, and only when {@code t} grows, so
 * both fields strictly increase and the last entry of an inactive segment holds its largest
 * timestamp. Like the offset index it is rebuilt from the log when missing or possibly stale.
 *
 * <p>Thread-safety: as {@link OffsetIndex}.
 */
public final class TimeIndex implements AutoCloseable {

  static final int ENTRY_BYTES = 12;

  private final long baseOffset;
  private final IndexFile file;
  private long[] timestamps = new long[64];
  private int[] relativeOffsets = new int[64];
  private int entries;

  private TimeIndex(long baseOffset, IndexFile file) {
    this.baseOffset = baseOffset;
    this.file = file;
  }

  static TimeIndex create(Path path, long baseOffset) throws IOException {
    TimeIndex index = new TimeIndex(baseOffset, new IndexFile(path, ENTRY_BYTES));
    index.file.truncateToEntries(0);
    return index;
  }

  /**
   * Loads a time index and checks that both fields strictly increase.
   *
   * @throws CorruptIndexException when the file breaks an invariant; the caller rebuilds it
   */
  static TimeIndex load(Path path, long baseOffset) throws IOException {
    TimeIndex index = new TimeIndex(baseOffset, new IndexFile(path, ENTRY_BYTES));
    try {
      ByteBuffer buffer = index.file.readAll();
      while (buffer.hasRemaining()) {
        long timestamp = buffer.getLong();
        int relative = buffer.getInt();
        if (relative < 0
            || (index.entries > 0
                && (timestamp <= index.timestamps[index.entries - 1]
                    || relative <= index.relativeOffsets[index.entries - 1]))) {
          throw CorruptIndexException.of(path.toString(), "entries not increasing");
        }
        index.add(timestamp, relative);
      }
      return index;
    } catch (RuntimeException | IOException e) {
      index.close();
      throw e;
    }
  }

  /**
   * Records that no record up to {@code offset} has a timestamp above {@code timestamp}, if that
   * timestamp is larger than the last entry's. Called with the partition lock held.
   */
  public synchronized void maybeAppend(long timestamp, long offset) throws IOException {
    if (entries > 0 && timestamp <= timestamps[entries - 1]) {
      return;
    }
    long relative = offset - baseOffset;
    if (relative < 0 || relative > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "offset " + offset + " out of range for base offset " + baseOffset);
    }
    if (entries > 0 && relative <= relativeOffsets[entries - 1]) {
      // A larger timestamp for an offset already indexed would break the entry meaning.
      throw new IllegalArgumentException(
          "time index offset " + offset + " does not follow the last entry");
    }
    ByteBuffer entry = ByteBuffer.allocate(ENTRY_BYTES).putLong(timestamp).putInt((int) relative);
    file.write(entries, entry.flip());
    add(timestamp, (int) relative);
  }

  private void add(long timestamp, int relative) {
    if (entries == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, entries * 2);
      relativeOffsets = Arrays.copyOf(relativeOffsets, entries * 2);
    }
    timestamps[entries] = timestamp;
    relativeOffsets[entries] = relative;
    entries++;
  }

  /**
   * Returns the offset from which a scan for the first record at or after {@code targetTimestamp}
   * may start: the offset after the last entry whose timestamp is below the target, because every
   * record up to that entry's offset has a smaller timestamp. Returns the base offset when no entry
   * is below the target.
   */
  public synchronized long lookupStartOffset(long targetTimestamp) {
    int slot = Arrays.binarySearch(timestamps, 0, entries, targetTimestamp);
    int below = slot >= 0 ? slot - 1 : -slot - 2;
    return below < 0 ? baseOffset : baseOffset + relativeOffsets[below] + 1;
  }

  /** The largest timestamp in the segment as far as indexed, or -1 when empty. */
  public synchronized long lastTimestamp() {
    return entries == 0 ? -1 : timestamps[entries - 1];
  }

  /** Removes every entry whose offset is at or above {@code offset}. */
  public synchronized void truncateTo(long offset) throws IOException {
    long relative = offset - baseOffset;
    int keep = 0;
    while (keep < entries && relativeOffsets[keep] < relative) {
      keep++;
    }
    entries = keep;
    file.truncateToEntries(keep);
  }

  public synchronized int entries() {
    return entries;
  }

  void flush() throws IOException {
    file.flush();
  }

  Path path() {
    return file.path();
  }

  void delete() throws IOException {
    file.delete();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
