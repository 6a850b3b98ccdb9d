package dev.ferry.notification.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Notifications and their deliveries as written by the accept path and read by status queries. */
@Repository
class NotificationRepository {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  NotificationRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  record NotificationRow(
      UUID id,
      String userId,
      String type,
      String priority,
      String status,
      Instant createdAt,
      Instant scheduledAt,
      Instant releaseAt,
      Instant expiresAt) {}

  record DeliveryRow(
      UUID id,
      String channel,
      String status,
      int attempts,
      String provider,
      String providerMessageId,
      Instant deliveredAt,
      Instant failedAt,
      Instant nextAttemptAt,
      String lastError) {}

  /** A delivery to insert: its content, and status pending, queued or skipped with a reason. */
  record NewDelivery(
      UUID id,
      String channel,
      String status,
      String subject,
      String title,
      String body,
      String skipReason) {}

  void insert(
      UUID id,
      NotificationCommand command,
      String status,
      Instant releaseAt,
      Instant now,
      Instant idempotencyExpiresAt) {
    jdbc.sql(
            """
            INSERT INTO notifications (id, user_id, type, priority, channels, template, data,
                                       status, scheduled_at, release_at, expires_at, created_at,
                                       idempotency_key, idempotency_expires_at)
            VALUES (:id, :user, :type, :priority, :channels, :template, CAST(:data AS JSONB),
                    :status, :scheduledAt, :releaseAt, :expiresAt, :now, :key, :keyExpires)
            """)
        .param("id", id)
        .param("user", command.userId())
        .param("type", command.type())
        .param("priority", command.priority().wire())
        .param("channels", command.channels().stream().map(c -> c.wire()).toArray(String[]::new))
        .param("template", command.template())
        .param("data", json.writeValueAsString(command.data()))
        .param("status", status)
        .param("scheduledAt", utc(command.scheduledAt()))
        .param("releaseAt", utc(releaseAt))
        .param("expiresAt", utc(command.expiresAt()))
        .param("now", utc(now))
        .param("key", command.idempotencyKey())
        .param("keyExpires", command.idempotencyKey() == null ? null : utc(idempotencyExpiresAt))
        .update();
  }

  void insertDelivery(
      UUID notificationId, String priority, NewDelivery delivery, int attemptLimit, Instant now) {
    jdbc.sql(
            """
            INSERT INTO deliveries (id, notification_id, channel, priority, status, subject,
                                    title, body, attempt_limit, last_error, queued_at, created_at)
            VALUES (:id, :notification, :channel, :priority, :status, :subject, :title, :body,
                    :limit, :reason, :queuedAt, :now)
            """)
        .param("id", delivery.id())
        .param("notification", notificationId)
        .param("channel", delivery.channel())
        .param("priority", priority)
        .param("status", delivery.status())
        .param("subject", delivery.subject())
        .param("title", delivery.title())
        .param("body", delivery.body())
        .param("limit", attemptLimit)
        .param("reason", delivery.skipReason())
        .param("queuedAt", "queued".equals(delivery.status()) ? utc(now) : null)
        .param("now", utc(now))
        .update();
  }

  /** The notification holding {@code key}, if the key has not expired. */
  Optional<UUID> findByIdempotencyKey(String key, Instant now) {
    return jdbc.sql(
            """
            SELECT id FROM notifications
             WHERE idempotency_key = ? AND idempotency_expires_at > ?
            """)
        .params(key, utc(now))
        .query(UUID.class)
        .optional();
  }

  Optional<NotificationRow> find(UUID id) {
    return jdbc.sql(
            """
            SELECT id, user_id, type, priority, status, created_at, scheduled_at, release_at,
                   expires_at
              FROM notifications WHERE id = ?
            """)
        .param(id)
        .query(
            (rs, row) ->
                new NotificationRow(
                    rs.getObject("id", UUID.class),
                    rs.getString("user_id"),
                    rs.getString("type"),
                    rs.getString("priority"),
                    rs.getString("status"),
                    instant(rs, "created_at"),
                    instant(rs, "scheduled_at"),
                    instant(rs, "release_at"),
                    instant(rs, "expires_at")))
        .optional();
  }

  List<DeliveryRow> deliveries(UUID notificationId) {
    return jdbc.sql(
            """
            SELECT id, channel, status, attempt_count, provider, provider_message_id,
                   delivered_at, failed_at, next_attempt_at, last_error
              FROM deliveries WHERE notification_id = ? ORDER BY channel
            """)
        .param(notificationId)
        .query(
            (rs, row) ->
                new DeliveryRow(
                    rs.getObject("id", UUID.class),
                    rs.getString("channel"),
                    rs.getString("status"),
                    rs.getInt("attempt_count"),
                    rs.getString("provider"),
                    rs.getString("provider_message_id"),
                    instant(rs, "delivered_at"),
                    instant(rs, "failed_at"),
                    instant(rs, "next_attempt_at"),
                    rs.getString("last_error")))
        .list();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
