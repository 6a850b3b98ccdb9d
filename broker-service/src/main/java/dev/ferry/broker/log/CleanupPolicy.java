package dev.ferry.broker.log;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Kafka's {@code cleanup.policy}: what happens to old records. {@code delete} removes whole old
 * segments by age and size (retention); {@code compact} keeps only the latest record per key
 * ({@link LogCleaner}); {@code compact,delete} does both.
 */
public enum CleanupPolicy {
  DELETE("delete"),
  COMPACT("compact"),
  COMPACT_DELETE("compact,delete");

  private final String kafkaName;

  CleanupPolicy(String kafkaName) {
    this.kafkaName = kafkaName;
  }

  /**
   * Parses a Kafka list value: {@code delete}, {@code compact}, or both in either order.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static CleanupPolicy parse(String value) {
    Set<String> parts =
        Arrays.stream(value.split(",")).map(String::trim).collect(Collectors.toSet());
    if (parts.equals(Set.of("delete"))) {
      return DELETE;
    }
    if (parts.equals(Set.of("compact"))) {
      return COMPACT;
    }
    if (parts.equals(Set.of("compact", "delete"))) {
      return COMPACT_DELETE;
    }
    throw new IllegalArgumentException(
        "cleanup.policy must be delete, compact or compact,delete: " + value);
  }

  public boolean deletes() {
    return this != COMPACT;
  }

  public boolean compacts() {
    return this != DELETE;
  }

  public String kafkaName() {
    return kafkaName;
  }
}
