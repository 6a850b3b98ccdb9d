package dev.ferry.notification.template;

/**
 * A template could not be rendered with the data given: a declared or referenced variable is
 * missing, so sending would put a blank into a customer's message. A client error (400).
 */
public class TemplateRenderException extends RuntimeException {

  private TemplateRenderException(String message) {
    super(message);
  }

  public static TemplateRenderException missingVariables(String template, Iterable<String> names) {
    return new TemplateRenderException(
        "template '" + template + "' needs data for " + String.join(", ", names));
  }

  public static TemplateRenderException failed(String template, String reason) {
    return new TemplateRenderException("template '" + template + "' cannot be rendered: " + reason);
  }
}
