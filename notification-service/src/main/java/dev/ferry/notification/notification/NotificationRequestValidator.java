package dev.ferry.notification.notification;

import dev.ferry.notification.Channel;
import dev.ferry.notification.Priority;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules of a send request that Bean Validation cannot express: a channel named twice, neither
 * template nor body, an oversized body, an expiry in the past or before the schedule, and two
 * different idempotency keys. Turns a shape-checked request into a command.
 */
final class NotificationRequestValidator {

  private final int maxBodyChars;

  NotificationRequestValidator(int maxBodyChars) {
    this.maxBodyChars = maxBodyChars;
  }

  /**
   * @param headerKey the {@code Idempotency-Key} header, or null
   * @throws InvalidNotificationException naming the field at fault
   */
  NotificationCommand toCommand(SendNotificationRequest request, String headerKey, Instant now) {
    List<Channel> channels = new ArrayList<>();
    for (int i = 0; i < request.channels().size(); i++) {
      Channel channel = Channel.fromWire(request.channels().get(i)).orElseThrow();
      if (channels.contains(channel)) {
        throw InvalidNotificationException.of(
            "channels[" + i + "]", "names '" + channel.wire() + "' twice");
      }
      channels.add(channel);
    }
    if (request.template() == null && (request.body() == null || request.body().isBlank())) {
      throw InvalidNotificationException.of("body", "is required when no template is given");
    }
    if (request.body() != null && request.body().length() > maxBodyChars) {
      throw InvalidNotificationException.of(
          "body", "is longer than the limit of " + maxBodyChars + " characters");
    }
    if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
      throw InvalidNotificationException.of("expires_at", "is in the past");
    }
    if (request.expiresAt() != null
        && request.scheduledAt() != null
        && !request.expiresAt().isAfter(request.scheduledAt())) {
      throw InvalidNotificationException.of("expires_at", "is not after scheduled_at");
    }
    String key = request.idempotencyKey();
    if (headerKey != null && !headerKey.isBlank()) {
      if (key != null && !key.equals(headerKey)) {
        throw InvalidNotificationException.of(
            "idempotency_key", "differs from the Idempotency-Key header");
      }
      if (headerKey.length() > 255) {
        throw InvalidNotificationException.of("Idempotency-Key", "is longer than 255 characters");
      }
      key = headerKey;
    }
    rejectNul("user_id", request.userId());
    rejectNul("type", request.type());
    rejectNul("template", request.template());
    rejectNul("title", request.title());
    rejectNul("subject", request.subject());
    rejectNul("body", request.body());
    rejectNul("data", request.data());
    rejectNul("idempotency_key", key);
    return new NotificationCommand(
        request.userId(),
        request.type(),
        request.priority() == null
            ? Priority.NORMAL
            : Priority.fromWire(request.priority()).orElseThrow(),
        List.copyOf(channels),
        request.template(),
        request.title(),
        request.subject(),
        request.body(),
        request.data() == null ? Map.of() : request.data(),
        request.scheduledAt(),
        request.expiresAt(),
        key);
  }

  /**
   * Postgres cannot store the NUL character in text or JSONB; caught here, it is a 400 naming the
   * field instead of a database error for the request (and for the sends sharing its group commit).
   */
  private static void rejectNul(String field, Object value) {
    if (containsNul(value)) {
      throw InvalidNotificationException.of(field, "contains a NUL character");
    }
  }

  private static boolean containsNul(Object value) {
    if (value instanceof String text) {
      return text.indexOf('\0') >= 0;
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .anyMatch(e -> containsNul(e.getKey()) || containsNul(e.getValue()));
    }
    if (value instanceof List<?> list) {
      return list.stream().anyMatch(NotificationRequestValidator::containsNul);
    }
    return false;
  }
}
