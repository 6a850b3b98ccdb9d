package dev.ferry.notification.delivery;

import dev.ferry.notification.Channel;
import dev.ferry.notification.Priority;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A delivery a worker has claimed for one attempt, with what it needs to send it. */
record ClaimedDelivery(
    UUID id,
    UUID notificationId,
    String userId,
    String type,
    Channel channel,
    Priority priority,
    String subject,
    String title,
    String body,
    Map<String, String> data,
    int attempt,
    int attemptLimit,
    Instant expiresAt,
    Instant acceptedAt) {}
