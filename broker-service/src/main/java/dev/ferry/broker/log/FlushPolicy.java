package dev.ferry.broker.log;

/**
 * When appended bytes are forced to stable storage with {@code fsync}.
 *
 * <p>Whatever the policy, a segment is flushed before the next one is created, so after a crash
 * only the active segment can hold a torn tail; and a produce request with {@code acks=all} is
 * answered only after its batch is flushed, because "all" on a single node means "durable here".
 * Those flushes are group commits ({@link GroupCommit}): one fsync covers every batch appended
 * before it started.
 */
public enum FlushPolicy {
  /**
   * Acknowledge every batch, whatever its acks, only once an fsync covered it: no acknowledged
   * record is lost.
   */
  PER_BATCH,
  /** fsync dirty partitions every {@code flush-interval-ms}: a crash may lose that window. */
  INTERVAL,
  /** fsync only when a segment rolls, as Kafka does by default, relying on the page cache. */
  ON_ROLL
}
