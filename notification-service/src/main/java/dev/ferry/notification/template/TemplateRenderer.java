package dev.ferry.notification.template;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.util.Map;

/**
 * Renders Mustache text with JMustache. The compiler is strict: a variable absent from the data is
 * an error, never an empty string, because a blank in a customer's email is worse than a refused
 * request. Email bodies are HTML-escaped; push and SMS text is sent as is.
 *
 * <p>Thread-safe: JMustache compilers are immutable.
 */
final class TemplateRenderer {

  private final Mustache.Compiler html = Mustache.compiler().strictSections(true);
  private final Mustache.Compiler text = html.escapeHTML(false);

  /**
   * Throws {@link InvalidTemplateException} naming {@code field} if {@code source} is not Mustache.
   */
  void check(String field, String source) {
    if (source == null) {
      return;
    }
    try {
      text.compile(source);
    } catch (MustacheException e) {
      throw InvalidTemplateException.of(field, e.getMessage());
    }
  }

  /** Renders {@code source}, or returns null for a null source. */
  String render(String templateName, String source, Map<String, Object> data, boolean escapeHtml) {
    if (source == null) {
      return null;
    }
    try {
      Template template = (escapeHtml ? html : text).compile(source);
      return template.execute(data);
    } catch (MustacheException e) {
      throw TemplateRenderException.failed(templateName, e.getMessage());
    }
  }
}
