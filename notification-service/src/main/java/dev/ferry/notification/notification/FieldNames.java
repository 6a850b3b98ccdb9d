package dev.ferry.notification.notification;

/**
 * Turns Java property paths ({@code scheduledAt}, {@code channels[1].<list element>}) into wire
 * names.
 */
public final class FieldNames {

  private FieldNames() {}

  /** {@code userId} → {@code user_id}; {@code channels[1].<list element>} → {@code channels[1]}. */
  public static String wire(String path) {
    return path.replaceAll("\\.<[^>]+>", "").replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }
}
