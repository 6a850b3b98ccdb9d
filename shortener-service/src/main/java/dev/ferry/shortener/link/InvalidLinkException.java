package dev.ferry.shortener.link;

/**
 * A field of a link request breaks a rule that plain Bean Validation cannot express (URL scheme,
 * blocked host, reserved alias, expiry in the past).
 */
public final class InvalidLinkException extends RuntimeException {

  private final String field;
  private final String reason;

  private InvalidLinkException(String field, String reason) {
    super("'" + field + "' " + reason);
    this.field = field;
    this.reason = reason;
  }

  public static InvalidLinkException of(String field, String reason) {
    return new InvalidLinkException(field, reason);
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }
}
