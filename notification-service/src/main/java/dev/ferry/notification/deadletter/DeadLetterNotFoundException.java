package dev.ferry.notification.deadletter;

import java.util.UUID;

/** No open dead letter with that id (never existed, or already re-driven). */
public class DeadLetterNotFoundException extends RuntimeException {

  private DeadLetterNotFoundException(String message) {
    super(message);
  }

  public static DeadLetterNotFoundException of(UUID id) {
    return new DeadLetterNotFoundException("no open dead letter with id " + id);
  }
}
