package dev.ferry.notification.notification;

import java.util.UUID;

/** No notification with that id. */
public class NotificationNotFoundException extends RuntimeException {

  private NotificationNotFoundException(String message) {
    super(message);
  }

  public static NotificationNotFoundException of(UUID id) {
    return new NotificationNotFoundException("no notification with id " + id);
  }
}
