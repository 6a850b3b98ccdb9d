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
 * <p>Thread-safety: as {@link AbstractIndex}; the monitor also guards {@link #timestamps}.
 */
public final class TimeIndex extends AbstractIndex {

  static final int ENTRY_BYTES = 12;

  private long[] timestamps = new long[relativeOffsets.length];

  private TimeIndex(Path path, long baseOffset) throws IOException {
    super(path, baseOffset, ENTRY_BYTES);
  }

  static TimeIndex create(Path path, long baseOffset) throws IOException {
    TimeIndex index = new TimeIndex(path, baseOffset);
    index.clear();
    return index;
  }

  /**
   * Loads a time index and checks that both fields strictly increase.
   *
   * @throws CorruptIndexException when the file breaks an invariant; the caller rebuilds it
   */
  static TimeIndex load(Path path, long baseOffset) throws IOException {
    TimeIndex index = new TimeIndex(path, baseOffset);
    index.loadEntries(
        buffer -> {
          long timestamp = buffer.getLong();
          int relative = buffer.getInt();
          if (relative < 0
              || (index.entries > 0
                  && (timestamp <= index.timestamps[index.entries - 1]
                      || relative <= index.relativeOffsets[index.entries - 1]))) {
            throw CorruptIndexException.of(path.toString(), "entries not increasing");
          }
          index.add(timestamp, relative);
        });
    return index;
  }

  /**
   * Records that no record up to {@code offset} has a timestamp above {@code timestamp}, if that
   * timestamp is larger than the last entry's. Called with the partition lock held.
   */
  public synchronized void maybeAppend(long timestamp, long offset) throws IOException {
    if (entries > 0 && timestamp <= timestamps[entries - 1]) {
      return;
    }
    int relative = relativeOffset(offset);
    if (entries > 0 && relative <= relativeOffsets[entries - 1]) {
      // A larger timestamp for an offset already indexed would break the entry meaning.
      throw new IllegalArgumentException(
          "time index offset " + offset + " does not follow the last entry");
    }
    writeEntry(ByteBuffer.allocate(ENTRY_BYTES).putLong(timestamp).putInt(relative));
    add(timestamp, relative);
  }

  private void add(long timestamp, int relative) {
    int slot = nextSlot();
    timestamps[slot] = timestamp;
    relativeOffsets[slot] = relative;
    entries++;
  }

  @Override
  void growTo(int capacity) {
    timestamps = Arrays.copyOf(timestamps, capacity);
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
}
