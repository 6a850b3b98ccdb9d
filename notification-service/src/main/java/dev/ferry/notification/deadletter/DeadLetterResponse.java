package dev.ferry.notification.deadletter;

import java.time.Instant;
import java.util.UUID;

/** A delivery that failed for good, as operators see it. */
record DeadLetterResponse(
    UUID id,
    UUID deliveryId,
    UUID notificationId,
    String channel,
    String priority,
    int attempts,
    String reason,
    Instant createdAt,
    Instant redrivenAt) {}
