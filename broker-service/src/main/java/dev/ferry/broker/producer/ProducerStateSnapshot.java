package dev.ferry.broker.producer;

import dev.ferry.broker.log.AtomicFile;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.Crc32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition's idempotent-producer state as of one log offset, saved so that a restart replays
 * only the batches after it instead of every batch header in the log (Kafka's {@code
 * <offset>.snapshot} files).
 *
 * <p>On-disk format ({@code <partition-dir>/<offset, 20 digits>.snapshot}, big-endian): version
 * (2), offset (8), producer count (4), then per producer its id (8), epoch (2), last timestamp (8,
 * the max timestamp of its last batch, for expiration), batch count (4) and per batch first and
 * last sequence (4 + 4) and first and last offset (8 + 8); last a CRC32C (4) of everything before
 * it. A file is written atomically ({@link AtomicFile}); one that fails its CRC or does not parse
 * is ignored, as is one beyond the log end (its batches were lost in a crash), and the state is
 * then rebuilt from an older snapshot or the whole log. Version 1, written before producers
 * expired, lacks the timestamp; its producers get {@code NO_TIMESTAMP}, which the first expiration
 * check replaces with the current time, so they expire one expiration period after the upgrade
 * rather than at once.
 *
 * @param offset every batch below this offset is reflected in {@code producers}
 * @param producers per producer its epoch and last batches, oldest first
 */
public record ProducerStateSnapshot(long offset, List<ProducerSnapshot> producers) {

  private static final Logger log = LoggerFactory.getLogger(ProducerStateSnapshot.class);
  private static final short VERSION = 2;
  private static final short VERSION_WITHOUT_TIMESTAMPS = 1;
  private static final String SUFFIX = ".snapshot";
  private static final int KEPT = 2;

  /**
   * One producer's state: its epoch, the max timestamp of its last batch and its last batches,
   * oldest first.
   */
  public record ProducerSnapshot(
      long producerId,
      short epoch,
      long lastTimestampMs,
      List<ProducerStateManager.BatchMetadata> batches) {}

  public ProducerStateSnapshot {
    producers = List.copyOf(producers);
  }

  /** Writes this snapshot into {@code dir} and deletes all but the newest {@value #KEPT}. */
  public void write(Path dir) throws IOException {
    int size = 2 + 8 + 4 + 4;
    for (ProducerSnapshot producer : producers) {
      size += 8 + 2 + 8 + 4 + producer.batches().size() * 24;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size).putShort(VERSION).putLong(offset);
    buffer.putInt(producers.size());
    for (ProducerSnapshot producer : producers) {
      buffer.putLong(producer.producerId()).putShort(producer.epoch());
      buffer.putLong(producer.lastTimestampMs());
      buffer.putInt(producer.batches().size());
      for (ProducerStateManager.BatchMetadata batch : producer.batches()) {
        buffer.putInt(batch.firstSequence()).putInt(batch.lastSequence());
        buffer.putLong(batch.firstOffset()).putLong(batch.lastOffset());
      }
    }
    buffer.putInt((int) Crc32C.compute(buffer.array(), 0, size - 4));
    AtomicFile.write(dir.resolve(String.format("%020d%s", offset, SUFFIX)), buffer.array());
    List<Path> files = files(dir);
    for (Path old : files.subList(0, Math.max(0, files.size() - KEPT))) {
      Files.deleteIfExists(old);
    }
  }

  /**
   * The newest valid snapshot in {@code dir} whose offset is at most {@code logEndOffset}. Deletes
   * the snapshots beyond the log end: they describe batches a crash took away, and once the log
   * grows past them again they would describe the wrong batches.
   */
  public static Optional<ProducerStateSnapshot> loadLatest(Path dir, long logEndOffset)
      throws IOException {
    List<Path> files = files(dir);
    for (int i = files.size() - 1; i >= 0; i--) {
      Optional<ProducerStateSnapshot> snapshot = read(files.get(i));
      if (snapshot.isPresent() && snapshot.get().offset() <= logEndOffset) {
        return snapshot;
      }
      if (snapshot.isPresent()) {
        log.info("Deleting producer state snapshot {}, beyond the log end", files.get(i));
        Files.deleteIfExists(files.get(i));
      }
    }
    return Optional.empty();
  }

  private static Optional<ProducerStateSnapshot> read(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
    try {
      int size = buffer.remaining();
      if (size < 6
          || buffer.getInt(size - 4) != (int) Crc32C.compute(buffer.array(), 0, size - 4)) {
        log.warn("Ignoring producer state snapshot {}: bad checksum", file);
        return Optional.empty();
      }
      short version = buffer.getShort();
      if (version != VERSION && version != VERSION_WITHOUT_TIMESTAMPS) {
        log.warn("Ignoring producer state snapshot {}: unknown version {}", file, version);
        return Optional.empty();
      }
      long offset = buffer.getLong();
      int count = buffer.getInt();
      List<ProducerSnapshot> producers = new ArrayList<>(count);
      for (int p = 0; p < count; p++) {
        long producerId = buffer.getLong();
        short epoch = buffer.getShort();
        long lastTimestampMs = version == VERSION ? buffer.getLong() : RecordBatch.NO_TIMESTAMP;
        int batchCount = buffer.getInt();
        List<ProducerStateManager.BatchMetadata> batches = new ArrayList<>(batchCount);
        for (int b = 0; b < batchCount; b++) {
          batches.add(
              new ProducerStateManager.BatchMetadata(
                  buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getLong()));
        }
        producers.add(new ProducerSnapshot(producerId, epoch, lastTimestampMs, batches));
      }
      return Optional.of(new ProducerStateSnapshot(offset, producers));
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      log.warn("Ignoring producer state snapshot {}: {}", file, e.toString());
      return Optional.empty();
    }
  }

  /** Snapshot files in {@code dir}, oldest first (the zero-padded names sort by offset). */
  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(path -> path.getFileName().toString().endsWith(SUFFIX))
          .sorted(Comparator.comparing(path -> path.getFileName().toString()))
          .toList();
    }
  }
}
