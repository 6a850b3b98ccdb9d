package dev.ferry.notification.template;

/** A template's text does not compile as Mustache, so it is refused when stored. */
public class InvalidTemplateException extends RuntimeException {

  private final String field;

  private InvalidTemplateException(String field, String message) {
    super(message);
    this.field = field;
  }

  public static InvalidTemplateException of(String field, String reason) {
    return new InvalidTemplateException(
        field, "'" + field + "' is not a valid template: " + reason);
  }

  public static InvalidTemplateException duplicate(String name, String channel) {
    return new InvalidTemplateException(
        "name", "a template named '" + name + "' already exists for channel '" + channel + "'");
  }

  /** The request field at fault. */
  public String field() {
    return field;
  }
}
