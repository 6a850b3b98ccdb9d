package dev.ferry.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.util.FileSystemUtils;

/**
 * One broker shared by the test classes that only need a running broker, started on first use and
 * closed when the test JVM exits, so the suite pays for one start-up instead of one per class. Its
 * limits are deliberately small so the byte-level tests can exceed them cheaply.
 */
final class SharedBroker {

  static final int MAX_REQUEST_BYTES = 1 << 20;
  static final int MAX_MESSAGE_BYTES = 100_000;

  private static TestBroker broker;

  private SharedBroker() {}

  static synchronized TestBroker get() {
    if (broker == null) {
      Path dataDir;
      try {
        dataDir = Files.createTempDirectory("ferry-shared-broker");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      broker =
          TestBroker.start(
              dataDir,
              Map.of(
                  "ferry.broker.listener.max-request-bytes", MAX_REQUEST_BYTES,
                  "ferry.broker.log.max-message-bytes", MAX_MESSAGE_BYTES,
                  "ferry.broker.groups.lag-metrics-refresh-ms", 200));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    broker.close();
                    FileSystemUtils.deleteRecursively(dataDir.toFile());
                  }));
    }
    return broker;
  }
}
