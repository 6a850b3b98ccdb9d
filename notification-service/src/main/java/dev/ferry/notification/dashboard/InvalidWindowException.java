package dev.ferry.notification.dashboard;

import java.time.Duration;

/** A dashboard window that is not positive or longer than the longest supported. */
public class InvalidWindowException extends RuntimeException {

  private InvalidWindowException(String message) {
    super(message);
  }

  public static InvalidWindowException of(Duration window, Duration max) {
    return new InvalidWindowException(
        "'window' must be positive and at most " + max + ", got " + window);
  }
}
