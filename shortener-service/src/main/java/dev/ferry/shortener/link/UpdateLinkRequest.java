package dev.ferry.shortener.link;

import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Body of {@code PATCH /api/v1/urls/{code}}: absent fields stay as they are. {@code expires_at} and
 * {@code max_visits} can also be removed, by sending them as JSON {@code null}. To tell the two
 * apart they are read as {@link JsonNode}s, which Jackson leaves null for an absent field and makes
 * a {@code NullNode} for an explicit {@code null} (an {@code Optional} component cannot: Jackson
 * makes it empty in both cases). A {@code null} of the other fields changes nothing, since a link
 * always has a destination, tags and a redirect type.
 */
public record UpdateLinkRequest(
    @Size(max = 65536) String longUrl,
    JsonNode expiresAt,
    JsonNode maxVisits,
    @Size(max = 1000) List<String> tags,
    Integer redirectType) {

  /**
   * @throws InvalidLinkException if {@code expires_at} is not an ISO-8601 instant or {@code
   *     max_visits} not a whole number
   */
  UpdateLinkCommand toCommand() {
    return new UpdateLinkCommand(
        longUrl,
        change(expiresAt, UpdateLinkRequest::instant),
        change(maxVisits, UpdateLinkRequest::wholeNumber),
        tags,
        redirectType);
  }

  private static <T> Optional<T> change(JsonNode node, Function<JsonNode, T> value) {
    if (node == null) {
      return null;
    }
    return node.isNull() ? Optional.empty() : Optional.of(value.apply(node));
  }

  private static Instant instant(JsonNode node) {
    try {
      if (node.isString()) {
        return Instant.parse(node.stringValue());
      }
    } catch (DateTimeParseException e) {
      // Answered below like any other value that is not an instant.
    }
    throw InvalidLinkException.of(
        "expires_at", "must be an ISO-8601 instant such as 2026-12-31T23:59:59Z, or null");
  }

  private static Long wholeNumber(JsonNode node) {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    throw InvalidLinkException.of("max_visits", "must be a whole number, or null");
  }
}
