package dev.ferry.notification.notification;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/notifications}. Either {@code template} (rendered per channel with
 * {@code data}) or {@code body} is required. Times are ISO-8601 instants.
 */
public record SendNotificationRequest(
    @NotBlank @Size(max = 100) String userId,
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
    @Size(max = 255) String idempotencyKey) {}
