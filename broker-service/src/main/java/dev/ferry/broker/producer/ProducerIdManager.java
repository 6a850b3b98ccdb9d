package dev.ferry.broker.producer;

import dev.ferry.broker.log.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hands out producer ids for InitProducerId, never the same one twice, even across crashes.
 *
 * <p>On-disk format: {@code <data-dir>/producer-id-block} holds, as decimal text, the exclusive
 * upper bound of the ids reserved so far. Ids are reserved in blocks of {@value #BLOCK_SIZE}: the
 * new bound is written atomically (see {@link AtomicFile}) before any id of the block is handed
 * out, so after a crash the next block starts above every id ever returned, at the cost of skipping
 * the unused rest of a block.
 *
 * <p>Thread-safety: {@link #nextProducerId()} is synchronised.
 */
public final class ProducerIdManager {

  static final int BLOCK_SIZE = 1000;

  private final Path file;
  private long nextId;
  private long blockEnd;

  public ProducerIdManager(Path dataDir) throws IOException {
    this.file = dataDir.resolve("producer-id-block");
    long reserved = 0;
    if (Files.exists(file)) {
      reserved = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
    }
    this.nextId = reserved;
    this.blockEnd = reserved;
  }

  public synchronized long nextProducerId() throws IOException {
    if (nextId >= blockEnd) {
      long newEnd = blockEnd + BLOCK_SIZE;
      AtomicFile.write(file, Long.toString(newEnd).getBytes(StandardCharsets.US_ASCII));
      blockEnd = newEnd;
    }
    return nextId++;
  }
}
