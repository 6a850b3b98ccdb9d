package dev.ferry.notification.template;

/** No template of that name exists for the channel asked for. */
public class TemplateNotFoundException extends RuntimeException {

  private TemplateNotFoundException(String message) {
    super(message);
  }

  public static TemplateNotFoundException of(String name, String channel) {
    return new TemplateNotFoundException(
        "no template named '" + name + "' exists for channel '" + channel + "'");
  }

  public static TemplateNotFoundException withId(Object id) {
    return new TemplateNotFoundException("no template with id " + id);
  }
}
