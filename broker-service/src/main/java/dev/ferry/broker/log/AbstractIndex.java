package dev.ferry.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The mechanics both sparse indexes share, as Kafka's {@code AbstractIndex} does for its offset and
 * time indexes: an {@link IndexFile} of fixed-size entries, mirrored in heap arrays ordered by the
 * relative offset every entry carries, with load, append, truncation and the file's life cycle.
 * Subclasses define the entry format, its second field and the lookups.
 *
 * <p>Relative offsets: every entry stores its offset minus the segment's base offset in four bytes,
 * which is why a segment may span at most {@link Integer#MAX_VALUE} offsets ({@link
 * #relativeOffset} enforces it).
 *
 * <p>Thread-safety: appends and truncation are called with the partition lock held; lookups may run
 * concurrently. This object's monitor guards the arrays and the entry count, in this class and in
 * subclasses alike.
 */
abstract sealed class AbstractIndex implements AutoCloseable permits OffsetIndex, TimeIndex {

  private static final int INITIAL_CAPACITY = 64;

  protected final long baseOffset;
  private final IndexFile file;
  protected int[] relativeOffsets = new int[INITIAL_CAPACITY];
  protected int entries;

  AbstractIndex(Path path, long baseOffset, int entryBytes) throws IOException {
    this.baseOffset = baseOffset;
    this.file = new IndexFile(path, entryBytes);
  }

  /** Discards every entry, in memory and on disk (before a rebuild). */
  final synchronized void clear() throws IOException {
    entries = 0;
    file.truncateToEntries(0);
  }

  /**
   * Reads the file entry by entry through {@code readEntry}, which validates and adds each one; on
   * any failure the file is closed and the failure rethrown.
   */
  final synchronized void loadEntries(Consumer<ByteBuffer> readEntry) throws IOException {
    try {
      ByteBuffer buffer = file.readAll();
      while (buffer.hasRemaining()) {
        readEntry.accept(buffer);
      }
    } catch (RuntimeException | IOException e) {
      close();
      throw e;
    }
  }

  /**
   * The offset relative to the base offset.
   *
   * @throws IllegalArgumentException when it is negative or does not fit in four bytes
   */
  final int relativeOffset(long offset) {
    long relative = offset - baseOffset;
    if (relative < 0 || relative > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "offset " + offset + " out of range for base offset " + baseOffset);
    }
    return (int) relative;
  }

  /** Writes a serialised entry to the next slot of the file. Called with the monitor held. */
  final void writeEntry(ByteBuffer entry) throws IOException {
    file.write(entries, entry.flip());
  }

  /**
   * Makes room for one more entry and returns its slot; the caller fills both arrays at the slot
   * and then increments {@link #entries}. Called with the monitor held.
   */
  final int nextSlot() {
    if (entries == relativeOffsets.length) {
      relativeOffsets = Arrays.copyOf(relativeOffsets, entries * 2);
      growTo(entries * 2);
    }
    return entries;
  }

  /** Grows the subclass's own per-entry array to {@code capacity}. */
  abstract void growTo(int capacity);

  /** Removes every entry whose offset is at or above {@code offset}. */
  public final synchronized void truncateTo(long offset) throws IOException {
    long relative = offset - baseOffset;
    int keep = 0;
    while (keep < entries && relativeOffsets[keep] < relative) {
      keep++;
    }
    entries = keep;
    file.truncateToEntries(keep);
  }

  public final synchronized int entries() {
    return entries;
  }

  final void flush() throws IOException {
    file.flush();
  }

  final Path path() {
    return file.path();
  }

  final void delete() throws IOException {
    file.delete();
  }

  @Override
  public final void close() throws IOException {
    file.close();
  }
}
