package dev.ferry.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A sparse map from offset to the byte position of the batch holding it in one segment's {@code
 * .log} file, used to start a read close to the requested offset instead of at byte 0.
 *
 * <p>On-disk format ({@code <baseOffset>.index}): a sequence of 8-byte big-endian entries, each a
 * 4-byte offset relative to the segment's base offset and a 4-byte file position. Relative offsets
 * halve the entry size and are why a segment may span at most {@link Integer#MAX_VALUE} offsets.
 * Entries are strictly increasing in both fields. An entry is added when at least {@code
 * index.interval.bytes} were appended since the previous one, so a lookup returns a floor entry and
 * the caller scans forward from its position. There is no checksum: the index is derived from the
 * log and rebuilt from it whenever it is missing, corrupt, or may be stale after a crash.
 *
 * <p>Thread-safety: as {@link AbstractIndex}; the monitor also guards {@link #positions}.
 */
public final class OffsetIndex extends AbstractIndex {

  static final int ENTRY_BYTES = 8;

  private int[] positions = new int[relativeOffsets.length];

  private OffsetIndex(Path path, long baseOffset) throws IOException {
    super(path, baseOffset, ENTRY_BYTES);
  }

  /** Opens an empty index, discarding any file content (used before a rebuild). */
  static OffsetIndex create(Path path, long baseOffset) throws IOException {
    OffsetIndex index = new OffsetIndex(path, baseOffset);
    index.clear();
    return index;
  }

  /**
   * Loads an index from disk and checks its invariants against the segment it indexes.
   *
   * @throws CorruptIndexException when the file breaks an invariant; the caller rebuilds it
   */
  static OffsetIndex load(Path path, long baseOffset, int segmentBytes) throws IOException {
    OffsetIndex index = new OffsetIndex(path, baseOffset);
    index.loadEntries(
        buffer -> {
          int relative = buffer.getInt();
          int position = buffer.getInt();
          if (!index.follows(relative, position)) {
            throw CorruptIndexException.of(path.toString(), "entries not increasing");
          }
          if (relative < 0 || position < 0 || position >= segmentBytes) {
            throw CorruptIndexException.of(path.toString(), "entry points outside the segment");
          }
          index.add(relative, position);
        });
    return index;
  }

  /**
   * Adds an entry. Called with the partition lock held.
   *
   * @throws IllegalArgumentException when the entry does not increase both offset and position
   */
  public synchronized void append(long offset, int position) throws IOException {
    int relative = relativeOffset(offset);
    if (!follows(relative, position)) {
      throw new IllegalArgumentException(
          "index entry (" + offset + ", " + position + ") does not follow the last entry");
    }
    writeEntry(ByteBuffer.allocate(ENTRY_BYTES).putInt(relative).putInt(position));
    add(relative, position);
  }

  private boolean follows(int relative, int position) {
    return entries == 0
        || (relative > relativeOffsets[entries - 1] && position > positions[entries - 1]);
  }

  private void add(int relative, int position) {
    int slot = nextSlot();
    relativeOffsets[slot] = relative;
    positions[slot] = position;
    entries++;
  }

  @Override
  void growTo(int capacity) {
    positions = Arrays.copyOf(positions, capacity);
  }

  /**
   * Returns the entry with the largest offset not above {@code targetOffset}, or the segment start
   * {@code (baseOffset, 0)} when every entry is above it.
   */
  public synchronized OffsetPosition lookup(long targetOffset) {
    long relative = targetOffset - baseOffset;
    if (entries == 0 || relative < relativeOffsets[0]) {
      return new OffsetPosition(baseOffset, 0);
    }
    int key = (int) Math.min(relative, Integer.MAX_VALUE);
    int slot = Arrays.binarySearch(relativeOffsets, 0, entries, key);
    int floor = slot >= 0 ? slot : -slot - 2;
    return new OffsetPosition(baseOffset + relativeOffsets[floor], positions[floor]);
  }

  /** A log offset and the byte position in the segment file of the batch containing it. */
  public record OffsetPosition(long offset, int position) {}
}
