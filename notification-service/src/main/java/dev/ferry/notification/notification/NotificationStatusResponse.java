package dev.ferry.notification.notification;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /api/v1/notifications/{id}/status}. The overall {@code status} is {@code scheduled},
 * {@code expired} or {@code skipped} while the notification itself is in that state, otherwise
 * derived from its deliveries: {@code delivered} (all), {@code partially_delivered}, {@code failed}
 * (none), or {@code in_progress} while any is still moving.
 */
record NotificationStatusResponse(
    UUID notificationId,
    String userId,
    String type,
    String priority,
    String status,
    Instant createdAt,
    Instant scheduledAt,
    Instant releaseAt,
    Instant expiresAt,
    Map<String, ChannelStatus> channels) {

  /** One channel's delivery. */
  record ChannelStatus(
      String status,
      int attempts,
      String provider,
      String providerMessageId,
      Instant deliveredAt,
      Instant failedAt,
      Instant nextAttemptAt,
      String lastError) {}
}
