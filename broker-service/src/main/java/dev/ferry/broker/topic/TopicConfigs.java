package dev.ferry.broker.topic;

import dev.ferry.broker.log.CleanupPolicy;
import dev.ferry.broker.log.LogConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * The topic-level settings this broker honours, by their Kafka names, and how overrides given at
 * topic creation merge over the broker defaults.
 *
 * <p>Only settings that change behaviour are accepted; any other name or value is rejected with
 * {@code INVALID_CONFIG} rather than silently ignored, so a client never believes a setting is in
 * force when it is not.
 *
 * <p>Immutable and thread-safe.
 */
public final class TopicConfigs {

  static final String SEGMENT_BYTES = "segment.bytes";
  static final String SEGMENT_MS = "segment.ms";
  static final String RETENTION_BYTES = "retention.bytes";
  static final String RETENTION_MS = "retention.ms";
  static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
  static final String MAX_MESSAGE_BYTES = "max.message.bytes";
  static final String CLEANUP_POLICY = "cleanup.policy";
  static final String DELETE_RETENTION_MS = "delete.retention.ms";

  private final LogConfig defaults;

  public TopicConfigs(LogConfig defaults) {
    this.defaults = defaults;
  }

  /**
   * Merges {@code overrides} over the defaults.
   *
   * @throws InvalidConfigurationException for an unknown name or an invalid value
   */
  public LogConfig logConfig(Map<String, String> overrides) {
    for (Map.Entry<String, String> override : overrides.entrySet()) {
      if (!effective(defaults).containsKey(override.getKey())) {
        throw new InvalidConfigurationException(
            "Unknown or unsupported topic config " + override.getKey());
      }
    }
    try {
      return new LogConfig(
          value(overrides, SEGMENT_BYTES, Integer::parseInt, defaults.segmentBytes()),
          value(overrides, SEGMENT_MS, Long::parseLong, defaults.segmentMs()),
          value(overrides, RETENTION_BYTES, Long::parseLong, defaults.retentionBytes()),
          value(overrides, RETENTION_MS, Long::parseLong, defaults.retentionMs()),
          value(overrides, INDEX_INTERVAL_BYTES, Integer::parseInt, defaults.indexIntervalBytes()),
          value(overrides, MAX_MESSAGE_BYTES, Integer::parseInt, defaults.maxMessageBytes()),
          defaults.flushPolicy(),
          value(overrides, CLEANUP_POLICY, CleanupPolicy::parse, defaults.cleanupPolicy()),
          value(overrides, DELETE_RETENTION_MS, Long::parseLong, defaults.deleteRetentionMs()));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException("Invalid topic config: " + e.getMessage());
    }
  }

  private static <T> T value(
      Map<String, String> overrides, String name, Function<String, T> parser, T fallback) {
    String text = overrides.get(name);
    return text == null ? fallback : parser.apply(text.trim());
  }

  /** The effective value of every supported setting, by Kafka name, in a stable order. */
  public static Map<String, String> effective(LogConfig config) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(CLEANUP_POLICY, config.cleanupPolicy().kafkaName());
    values.put(DELETE_RETENTION_MS, Long.toString(config.deleteRetentionMs()));
    values.put(SEGMENT_BYTES, Integer.toString(config.segmentBytes()));
    values.put(SEGMENT_MS, Long.toString(config.segmentMs()));
    values.put(RETENTION_BYTES, Long.toString(config.retentionBytes()));
    values.put(RETENTION_MS, Long.toString(config.retentionMs()));
    values.put(INDEX_INTERVAL_BYTES, Integer.toString(config.indexIntervalBytes()));
    values.put(MAX_MESSAGE_BYTES, Integer.toString(config.maxMessageBytes()));
    return values;
  }

  public LogConfig defaults() {
    return defaults;
  }
}
