package dev.ferry.notification.notification;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The 202 answer to a send: {@code status} is {@code queued}, {@code scheduled} (for {@code
 * scheduled_at} or held by quiet hours until {@code release_at}) or {@code skipped} (nothing to
 * send); {@code channels} maps each channel to {@code pending} or the reason it was skipped ({@code
 * opted_out}, {@code no_recipient}, {@code rate_limited}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationAcceptedResponse(
    UUID notificationId, String status, Map<String, String> channels, Instant releaseAt) {}
