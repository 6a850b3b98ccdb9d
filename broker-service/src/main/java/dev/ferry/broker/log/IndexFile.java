package dev.ferry.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file mechanics shared by the sparse indexes: an append-only file of fixed-size entries.
 *
 * <p>Kafka memory-maps a preallocated index and trims it on roll. Here the entries also live in a
 * heap array owned by the concrete index (one entry per {@code index.interval.bytes}, so a 1 GiB
 * segment holds about 260 k entries, 2 MiB), and the file is only written and read whole at load.
 * That keeps lookups free of page faults and makes the file length always a whole number of
 * entries, without the preallocate-then-trim step.
 *
 * <p>Not thread-safe: the owning index serialises access.
 */
final class IndexFile implements AutoCloseable {

  private final Path path;
  private final int entryBytes;
  private final FileChannel channel;

  IndexFile(Path path, int entryBytes) throws IOException {
    this.path = path;
    this.entryBytes = entryBytes;
    this.channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  Path path() {
    return path;
  }

  /** Reads every entry; throws when the length is not a whole number of entries. */
  ByteBuffer readAll() throws IOException {
    long size = channel.size();
    if (size % entryBytes != 0) {
      throw CorruptIndexException.of(
          path.toString(), "length " + size + " is not a multiple of " + entryBytes);
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) size);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, buffer.position()) < 0) {
        break;
      }
    }
    return buffer.flip();
  }

  void write(int entryIndex, ByteBuffer entry) throws IOException {
    long position = (long) entryIndex * entryBytes;
    while (entry.hasRemaining()) {
      position += channel.write(entry, position);
    }
  }

  void truncateToEntries(int entries) throws IOException {
    channel.truncate((long) entries * entryBytes);
  }

  void flush() throws IOException {
    channel.force(true);
  }

  void delete() throws IOException {
    channel.close();
    Files.deleteIfExists(path);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
