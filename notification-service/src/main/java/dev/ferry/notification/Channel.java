package dev.ferry.notification;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A way of reaching a user. The lower-case name is the wire form in JSON, URLs and columns. */
public enum Channel {
  PUSH,
  EMAIL,
  SMS;

  /** The wire form: {@code push}, {@code email}, {@code sms}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The channel named {@code wire}, or empty for anything else (including null). */
  public static Optional<Channel> fromWire(String wire) {
    return Arrays.stream(values()).filter(channel -> channel.wire().equals(wire)).findFirst();
  }
}
