package dev.ferry.notification;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How urgent a notification is. Each priority has its own Kafka topic and its own consumers, so
 * that a backlog of {@link #LOW} never delays {@link #CRITICAL}; only critical notifications bypass
 * a user's quiet hours.
 */
public enum Priority {
  CRITICAL,
  HIGH,
  NORMAL,
  LOW;

  /** The wire form: {@code critical}, {@code high}, {@code normal}, {@code low}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Relay order of the outbox: lower goes first. */
  public int rank() {
    return ordinal();
  }

  /** The priority named {@code wire}, or empty for anything else (including null). */
  public static Optional<Priority> fromWire(String wire) {
    return Arrays.stream(values()).filter(priority -> priority.wire().equals(wire)).findFirst();
  }
}
