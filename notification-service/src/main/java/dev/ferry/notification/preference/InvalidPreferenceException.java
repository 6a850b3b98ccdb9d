package dev.ferry.notification.preference;

/** A preference value that passes the shape checks but is still wrong, such as an unknown zone. */
public class InvalidPreferenceException extends RuntimeException {

  private final String field;

  private InvalidPreferenceException(String field, String message) {
    super(message);
    this.field = field;
  }

  public static InvalidPreferenceException unknownTimeZone(String zone) {
    return new InvalidPreferenceException(
        "quiet_hours.time_zone",
        "'" + zone + "' is not a known time zone (use e.g. Europe/Berlin)");
  }

  public String field() {
    return field;
  }
}
