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
 * <p>Thread-safety: appends and truncation are called with the partition lock held; lookups may run
 * concurrently and are guarded by this object's monitor, which also guards the arrays.
 */
public final class OffsetIndex implements AutoCloseable {

  static final int ENTRY_BYTES = 8;

  private final long baseOffset;
  private final IndexFile file;
  private int[] relativeOffsets = new int[64];
  private int[] positions = new int[64];
  private int entries;

  private OffsetIndex(long baseOffset, IndexFile file) {
    this.baseOffset = baseOffset;
    this.file = file;
  }

  /** Opens an empty index, discarding any file content (used before a rebuild). */
  static OffsetIndex create(Path path, long baseOffset) throws IOException {
    OffsetIndex index = new OffsetIndex(baseOffset, new IndexFile(path, ENTRY_BYTES));
    index.file.truncateToEntries(0);
    return index;
  }

  /**
   * Loads an index from disk and checks its invariants against the segment it indexes.
   *
   * @throws CorruptIndexException when the file breaks an invariant; the caller rebuilds it
   */
  static OffsetIndex load(Path path, long baseOffset, int segmentBytes) throws IOException {
    OffsetIndex index = new OffsetIndex(baseOffset, new IndexFile(path, ENTRY_BYTES));
    try {
      ByteBuffer buffer = index.file.readAll();
      while (buffer.hasRemaining()) {
        int relative = buffer.getInt();
        int position = buffer.getInt();
        if (index.entries > 0
            && (relative <= index.relativeOffsets[index.entries - 1]
                || position <= index.positions[index.entries - 1])) {
          throw CorruptIndexException.of(path.toString(), "entries not increasing");
        }
        if (relative < 0 || position < 0 || position >= segmentBytes) {
          throw CorruptIndexException.of(path.toString(), "entry points outside the segment");
        }
        index.add(relative, position);
      }
      return index;
    } catch (RuntimeException | IOException e) {
      index.close();
      throw e;
    }
  }

  /**
   * Adds an entry. Called with the partition lock held.
   *
   * @throws IllegalArgumentException when the entry does not increase both offset and position
   */
  public synchronized void append(long offset, int position) throws IOException {
    long relative = offset - baseOffset;
    if (relative < 0 || relative > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "offset " + offset + " out of range for base offset " + baseOffset);
    }
    if (entries > 0
        && (relative <= relativeOffsets[entries - 1] || position <= positions[entries - 1])) {
      throw new IllegalArgumentException(
          "index entry (" + offset + ", " + position + ") does not follow the last entry");
    }
    ByteBuffer entry = ByteBuffer.allocate(ENTRY_BYTES).putInt((int) relative).putInt(position);
    file.write(entries, entry.flip());
    add((int) relative, position);
  }

  private void add(int relative, int position) {
    if (entries == relativeOffsets.length) {
      relativeOffsets = Arrays.copyOf(relativeOffsets, entries * 2);
      positions = Arrays.copyOf(positions, entries * 2);
    }
    relativeOffsets[entries] = relative;
    positions[entries] = position;
    entries++;
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

  /** Removes every entry at or above {@code offset}. Called with the partition lock held. */
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

  /** A log offset and the byte position in the segment file of the batch containing it. */
  public record OffsetPosition(long offset, int position) {}
}
