package dev.ferry.notification.topic;

import dev.ferry.notification.notification.ChannelList;
import dev.ferry.notification.notification.ChannelName;
import dev.ferry.notification.notification.NotificationType;
import dev.ferry.notification.notification.PriorityName;
import dev.ferry.notification.notification.SendNotificationRequest;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/topics/{key}/notifications}: a send request without a user, fanned
 * out to every subscriber. {@code idempotency_key} is suffixed with each user id, so a repeated
 * fan-out sends nobody a second copy.
 */
record TopicNotificationRequest(
    @NotificationType String type,
    @PriorityName String priority,
    @ChannelList List<@ChannelName String> channels,
    @Size(max = 100) String template,
    @Size(max = 255) String title,
    @Size(max = 255) String subject,
    String body,
    Map<String, Object> data,
    Instant scheduledAt,
    Instant expiresAt,
    @Size(max = 150) String idempotencyKey) {

  /** The send to one subscriber, with the idempotency key suffixed by the user id. */
  SendNotificationRequest forSubscriber(String userId) {
    return new SendNotificationRequest(
        userId,
        type,
        priority,
        channels,
        template,
        title,
        subject,
        body,
        data,
        scheduledAt,
        expiresAt,
        idempotencyKey == null ? null : idempotencyKey + ":" + userId);
  }
}
