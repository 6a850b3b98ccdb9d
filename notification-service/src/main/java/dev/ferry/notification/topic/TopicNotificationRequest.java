package dev.ferry.notification.topic;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
    @NotBlank @Size(max = 50) String type,
    @Pattern(
            regexp = "critical|high|normal|low",
            message = "must be one of critical, high, normal, low")
        String priority,
    @NotNull @NotEmpty @Size(max = 3) List<
                @NotNull @Pattern(regexp = "push|email|sms", message = "must be one of push, email, sms") String>
            channels,
    @Size(max = 100) String template,
    @Size(max = 255) String title,
    @Size(max = 255) String subject,
    String body,
    Map<String, Object> data,
    Instant scheduledAt,
    Instant expiresAt,
    @Size(max = 150) String idempotencyKey) {}
