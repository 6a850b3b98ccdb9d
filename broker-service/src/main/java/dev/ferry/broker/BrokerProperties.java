package dev.ferry.broker;

import dev.ferry.broker.log.FlushPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every tunable of the broker, bound from {@code ferry.broker.*} and validated at start-up.
 *
 * @param nodeId the broker id advertised in Metadata; one node for now, replication comes later
 * @param dataDir the directory holding one sub-directory per partition
 * @param listener where the Kafka protocol is served
 * @param log defaults for every partition log; topics may override them on creation
 * @param topics automatic topic creation
 * @param groups the classic group coordinator
 * @param producers idempotent-producer state
 */
@Validated
@ConfigurationProperties("ferry.broker")
public record BrokerProperties(
    @DefaultValue("1") @Min(0) int nodeId,
    @DefaultValue("${java.io.tmpdir}/ferry-broker") @NotNull Path dataDir,
    @DefaultValue @Valid Listener listener,
    @DefaultValue @Valid Log log,
    @DefaultValue @Valid Topics topics,
    @DefaultValue @Valid Groups groups,
    @DefaultValue @Valid Producers producers) {

  /**
   * @param port the Kafka protocol port; 0 picks a free one (tests)
   * @param advertisedHost the host name clients are told to connect to in Metadata
   * @param maxRequestBytes a request frame larger than this closes the connection, as Kafka's
   *     {@code socket.request.max.bytes} does, so a bad size prefix cannot exhaust the heap
   */
  public record Listener(
      @DefaultValue("9092") @Min(0) @Max(65535) int port,
      @DefaultValue("localhost") @NotBlank String advertisedHost,
      @DefaultValue("104857600") @Min(1024) int maxRequestBytes) {}

  /**
   * @param segmentBytes roll the active segment once it would exceed this size
   * @param segmentMs roll the active segment, on the next append, once it was created (or, after a
   *     restart, opened) this long ago
   * @param retentionBytes delete whole old segments while the partition is larger; -1 = unlimited
   * @param retentionMs delete whole segments whose newest record is older; -1 = forever
   * @param indexIntervalBytes log bytes between two sparse offset index entries
   * @param maxMessageBytes the largest record batch a producer may send
   * @param flushPolicy when appended bytes are forced to disk; see {@link FlushPolicy}
   * @param flushIntervalMs the period of the {@code interval} flush policy
   * @param retentionCheckIntervalMs how often retention and log compaction run
   * @param deleteRetentionMs how long a compacted topic keeps tombstones (Kafka's {@code
   *     delete.retention.ms})
   * @param acksAllFsync whether a produce with {@code acks=all} is answered only once fsynced (the
   *     default: on one node the leader is the whole in-sync replica set, and "all" means durable
   *     here). {@code false} answers it once appended, as Kafka does, which does not fsync before
   *     acknowledging and relies on replication instead; with one node a power loss may then lose
   *     acknowledged records. For comparisons with Kafka, not for data that matters
   * @param cleanerDedupeBufferBytes memory of the log cleaner's key map (Kafka's {@code
   *     log.cleaner.dedupe.buffer.size}): 24 bytes per key, so the default maps about 630,000 keys
   *     per pass; a log with more keys is compacted in several passes
   */
  public record Log(
      @DefaultValue("1073741824") @Min(1024) int segmentBytes,
      @DefaultValue("604800000") @Min(1) long segmentMs,
      @DefaultValue("-1") @Min(-1) long retentionBytes,
      @DefaultValue("604800000") @Min(-1) long retentionMs,
      @DefaultValue("4096") @Min(0) int indexIntervalBytes,
      @DefaultValue("1048588") @Min(64) int maxMessageBytes,
      @DefaultValue("interval") @NotNull FlushPolicy flushPolicy,
      @DefaultValue("1000") @Min(1) long flushIntervalMs,
      @DefaultValue("300000") @Min(1) long retentionCheckIntervalMs,
      @DefaultValue("86400000") @Min(0) long deleteRetentionMs,
      @DefaultValue("true") boolean acksAllFsync,
      @DefaultValue("16777216") @Min(48) int cleanerDedupeBufferBytes) {}

  /**
   * @param autoCreate whether Metadata and Produce for an unknown topic create it
   * @param defaultPartitions partitions of an auto-created topic or a CreateTopics with -1
   */
  public record Topics(
      @DefaultValue("true") boolean autoCreate,
      @DefaultValue("1") @Min(1) @Max(10000) int defaultPartitions) {}

  /**
   * @param initialRebalanceDelayMs how long a new group waits for more members before its first
   *     generation (Kafka's {@code group.initial.rebalance.delay.ms})
   * @param minSessionTimeoutMs the shortest session timeout a member may ask for
   * @param maxSessionTimeoutMs the longest session timeout a member may ask for
   * @param lagMetricsRefreshMs how often the {@code ferry.broker.group.lag} gauge picks up groups
   *     and partitions that committed for the first time (its values are read live)
   * @param offsetsSegmentBytes segment size of the compacted offsets log (Kafka's {@code
   *     offsets.topic.segment.bytes}); the cleaner compacts closed segments only
   */
  public record Groups(
      @DefaultValue("0") @Min(0) long initialRebalanceDelayMs,
      @DefaultValue("1000") @Min(1) int minSessionTimeoutMs,
      @DefaultValue("1800000") @Min(1) int maxSessionTimeoutMs,
      @DefaultValue("10000") @Min(1) long lagMetricsRefreshMs,
      @DefaultValue("104857600") @Min(1024) int offsetsSegmentBytes) {}

  /**
   * @param idExpirationMs forget an idempotent producer whose last batch is this old (Kafka's
   *     {@code producer.id.expiration.ms}, default one day); its next batch then starts afresh
   * @param idExpirationCheckIntervalMs how often expired producers are looked for (Kafka's {@code
   *     producer.id.expiration.check.interval.ms})
   */
  public record Producers(
      @DefaultValue("86400000") @Min(1) long idExpirationMs,
      @DefaultValue("600000") @Min(1) long idExpirationCheckIntervalMs) {}
}
