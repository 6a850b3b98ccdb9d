package dev.ferry.broker.group;

import dev.ferry.broker.group.GroupCommands.CommittedOffset;
import dev.ferry.broker.log.LogConfig;
import dev.ferry.broker.log.MutableClock;
import dev.ferry.broker.log.PartitionLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * An {@link OffsetStore} in a test's data directory, configured as the broker configures it ({@link
 * OffsetStore#logConfig}) and driven by a hand-moved clock; shared by the group tests so that they
 * open, reopen and commit the same way.
 */
final class OffsetStoreFixture implements AutoCloseable {

  /** Small segments, so a few hundred commits roll several times and give the cleaner work. */
  static final int SMALL_SEGMENT_BYTES = 1024;

  final Path dataDir;
  final MutableClock clock;
  final LogConfig config;
  private OffsetStore store;

  OffsetStoreFixture(Path dataDir, long nowMs, int segmentBytes) {
    this.dataDir = dataDir;
    this.clock = new MutableClock(nowMs);
    this.config = OffsetStore.logConfig(segmentBytes);
  }

  OffsetStoreFixture(Path dataDir, long nowMs) {
    this(dataDir, nowMs, 1 << 20);
  }

  /** Opens the store as the broker does at start-up, closing the one opened before. */
  OffsetStore open(boolean recover) throws IOException {
    close();
    store = OffsetStore.open(dataDir, config, clock, recover);
    return store;
  }

  /**
   * Replays the offsets log as it is on disk, without the start-up compaction {@link #open} does,
   * closing the store opened before.
   */
  OffsetStore replay() throws IOException {
    close();
    store =
        new OffsetStore(
            PartitionLog.open(dataDir.resolve(OffsetStore.LOG_DIRECTORY), config, clock, false));
    return store;
  }

  /** One commit of {@code offset} for a partition, with metadata naming the offset. */
  CommittedOffset offset(long offset) {
    return new CommittedOffset(offset, -1, "m" + offset, clock.millis());
  }

  Map<TopicPartition, CommittedOffset> at(TopicPartition partition, long offset) {
    return Map.of(partition, offset(offset));
  }

  @Override
  public void close() throws IOException {
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
