package dev.ferry.notification.notification;

/**
 * A send request that is well-formed JSON but cannot be accepted; names the field at fault. Nothing
 * is stored when it is thrown.
 */
public class InvalidNotificationException extends RuntimeException {

  private final String field;

  private InvalidNotificationException(String field, String message) {
    super(message);
    this.field = field;
  }

  public static InvalidNotificationException of(String field, String reason) {
    return new InvalidNotificationException(field, "'" + field + "' " + reason);
  }

  /** The request field at fault, in snake_case as the client sent it. */
  public String field() {
    return field;
  }

  /** The same problem for the item at {@code index} of a batch. */
  InvalidNotificationException inBatch(int index) {
    return new InvalidNotificationException("notifications[" + index + "]." + field, getMessage());
  }
}
