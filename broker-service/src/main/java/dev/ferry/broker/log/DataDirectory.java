package dev.ferry.broker.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's data directory and whether the last run ended cleanly.
 *
 * <p>A clean shutdown leaves an empty {@code .clean-shutdown} marker after every log has been
 * sealed and flushed. Opening the directory consumes the marker: if it was there, logs load their
 * indexes as they are; if not, the broker crashed and every log validates its active segment.
 * Deleting the marker at start means a crash during this run is detected at the next one. An
 * exclusive lock on {@code .lock}, held while the broker runs, keeps a second broker out.
 *
 * <p>Thread-safety: immutable after construction except {@link #markCleanShutdown()}, which is
 * called once when the application context closes, after the logs are closed, and {@link
 * #clusterId()}, which is synchronised.
 */
public final class DataDirectory {

  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
  private static final String CLEAN_SHUTDOWN_MARKER = ".clean-shutdown";

  private final Path path;
  private final boolean recoveryNeeded;
  private final FileChannel lockChannel;
  private final FileLock lock;

  /**
   * Opens the directory, taking an exclusive lock on {@code .lock} so that a second broker pointed
   * at the same directory fails at start instead of corrupting the logs.
   *
   * @throws IllegalStateException when another process holds the lock
   */
  public DataDirectory(Path path) throws IOException {
    this.path = path;
    Files.createDirectories(path);
    this.lockChannel =
        FileChannel.open(
            path.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      // Another broker in this same JVM (tests) holds it.
      acquired = null;
    }
    this.lock = acquired;
    if (lock == null) {
      lockChannel.close();
      throw new IllegalStateException(
          "Data directory " + path + " is in use by another broker process");
    }
    Path marker = path.resolve(CLEAN_SHUTDOWN_MARKER);
    boolean hasData;
    try (var entries = Files.list(path)) {
      hasData =
          entries
              .map(entry -> entry.getFileName().toString())
              .anyMatch(name -> !name.equals(CLEAN_SHUTDOWN_MARKER) && !name.equals(".lock"));
    }
    this.recoveryNeeded = hasData && !Files.exists(marker);
    Files.deleteIfExists(marker);
    AtomicFile.fsyncDirectory(path);
    log.info(
        "Data directory {} ({})",
        path.toAbsolutePath(),
        recoveryNeeded ? "unclean shutdown: recovering active segments" : "clean");
  }

  public Path path() {
    return path;
  }

  /** Whether logs must validate their active segment because the last run did not end cleanly. */
  public boolean recoveryNeeded() {
    return recoveryNeeded;
  }

  /**
   * The id of the cluster this directory belongs to, created on first use and kept in {@code
   * cluster-id} so clients see the same cluster across restarts.
   */
  public synchronized String clusterId() throws IOException {
    Path file = path.resolve("cluster-id");
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
    String clusterId = Uuid.randomUuid().toString();
    AtomicFile.write(file, clusterId.getBytes(StandardCharsets.US_ASCII));
    return clusterId;
  }

  /**
   * Leaves the marker that lets the next start skip recovery and releases the lock; call once,
   * after closing every log.
   */
  public void markCleanShutdown() throws IOException {
    Files.createFile(path.resolve(CLEAN_SHUTDOWN_MARKER));
    AtomicFile.fsyncDirectory(path);
    lock.release();
    lockChannel.close();
  }
}
