package dev.ferry.notification.notification;

import dev.ferry.notification.Channel;
import dev.ferry.notification.Priority;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A validated request to send a notification. */
record NotificationCommand(
    String userId,
    String type,
    Priority priority,
    List<Channel> channels,
    String template,
    String title,
    String subject,
    String body,
    Map<String, Object> data,
    Instant scheduledAt,
    Instant expiresAt,
    String idempotencyKey) {}
