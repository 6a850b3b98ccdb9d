package dev.ferry.notification.notification;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
    @NotBlank @Size(max = 50) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "must be letters, digits, '_', '.' or '-'") String type,
    @Pattern(
            regexp = "critical|high|normal|low",
            message = "must be one of critical, high, normal, low")
        String priority,
    @NotNull(message = "must name at least one channel") @NotEmpty(message = "must name at least one channel") @Size(max = 3, message = "must name each channel at most once") List<
                @NotNull @Pattern(regexp = "push|email|sms", message = "must be one of push, email, sms") String>
            channels,
    @Size(max = 100) String template,
    @Size(max = 255) String title,
    @Size(max = 255) String subject,
    String body,
    Map<String, Object> data,
    Instant scheduledAt,
    Instant expiresAt,
    @Size(max = 255) String idempotencyKey) {}
