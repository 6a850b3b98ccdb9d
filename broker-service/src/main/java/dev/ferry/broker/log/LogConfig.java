package dev.ferry.broker.log;

/**
 * The per-partition log settings; a topic's overrides are merged over the broker defaults before a
 * log is opened.
 *
 * @param segmentBytes roll the active segment when an append would make it larger than this
 * @param segmentMs roll the active segment, on the next append, once it was created (or, after a
 *     restart, opened) longer ago than this
 * @param retentionBytes delete whole old segments while the log is larger than this; -1 = unlimited
 * @param retentionMs delete whole segments whose newest timestamp is older than this; -1 = forever
 * @param indexIntervalBytes log bytes appended between two sparse index entries
 * @param maxMessageBytes the largest batch accepted from a producer
 * @param flushPolicy when appended bytes are forced to disk
 * @param cleanupPolicy whether old segments are deleted by retention, compacted, or both
 * @param deleteRetentionMs how long a compacted log keeps a tombstone (a record with a key and no
 *     value) after its batch's timestamp, so consumers see the deletion (Kafka's {@code
 *     delete.retention.ms})
 */
public record LogConfig(
    int segmentBytes,
    long segmentMs,
    long retentionBytes,
    long retentionMs,
    int indexIntervalBytes,
    int maxMessageBytes,
    FlushPolicy flushPolicy,
    CleanupPolicy cleanupPolicy,
    long deleteRetentionMs) {

  /** Kafka's default {@code delete.retention.ms}: one day. */
  public static final long DEFAULT_DELETE_RETENTION_MS = 86_400_000L;

  public LogConfig {
    if (segmentBytes < 1024) {
      throw new IllegalArgumentException("segmentBytes must be >= 1024: " + segmentBytes);
    }
    if (segmentMs < 1) {
      throw new IllegalArgumentException("segmentMs must be positive: " + segmentMs);
    }
    if (retentionBytes < -1 || retentionMs < -1) {
      throw new IllegalArgumentException("retention must be -1 or non-negative");
    }
    if (indexIntervalBytes < 0) {
      throw new IllegalArgumentException("indexIntervalBytes must be >= 0: " + indexIntervalBytes);
    }
    if (maxMessageBytes < 64) {
      throw new IllegalArgumentException("maxMessageBytes must be >= 64: " + maxMessageBytes);
    }
    if (flushPolicy == null || cleanupPolicy == null) {
      throw new IllegalArgumentException("flushPolicy and cleanupPolicy are required");
    }
    if (deleteRetentionMs < 0) {
      throw new IllegalArgumentException("deleteRetentionMs must be >= 0: " + deleteRetentionMs);
    }
  }
}
