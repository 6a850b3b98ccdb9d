package dev.ferry.notification.notification;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Notifications and their deliveries as written by the accept path and read by status queries. */
@Repository
class NotificationRepository {

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final JsonMapper json;

  NotificationRepository(JdbcClient jdbc, JdbcTemplate batch, JsonMapper json) {
    this.jdbc = jdbc;
    this.batch = batch;
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

  /** A notification to insert with its deliveries; status queued, scheduled or skipped. */
  record NewNotification(
      UUID id,
      NotificationCommand command,
      String status,
      Instant releaseAt,
      List<NewDelivery> deliveries) {}

  /**
   * Inserts {@code notifications} in one JDBC batch, skipping any whose idempotency key another
   * notification holds (inserted earlier in this batch, or by a concurrent request, whose commit
   * this waits for); then the deliveries of those inserted, in a second batch. Must run in a
   * transaction.
   *
   * @return for each notification, whether it was inserted (false: it lost its idempotency key)
   */
  boolean[] insertAll(
      List<NewNotification> notifications,
      int attemptLimit,
      Instant now,
      Instant idempotencyExpiresAt) {
    OffsetDateTime created = utc(now);
    int[] counts =
        batch.batchUpdate(
            """
            INSERT INTO notifications (id, user_id, type, priority, channels, template, data,
                                       status, scheduled_at, release_at, expires_at, created_at,
                                       idempotency_key, idempotency_expires_at)
            VALUES (?, ?, ?, ?, ?, ?, CAST(? AS JSONB), ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (idempotency_key) DO NOTHING
            """,
            new BatchPreparedStatementSetter() {
              @Override
              public void setValues(PreparedStatement statement, int i) throws SQLException {
                NewNotification n = notifications.get(i);
                NotificationCommand command = n.command();
                statement.setObject(1, n.id());
                statement.setString(2, command.userId());
                statement.setString(3, command.type());
                statement.setString(4, command.priority().wire());
                statement.setArray(
                    5,
                    statement
                        .getConnection()
                        .createArrayOf(
                            "varchar",
                            command.channels().stream().map(c -> c.wire()).toArray(String[]::new)));
                statement.setString(6, command.template());
                statement.setString(7, json.writeValueAsString(command.data()));
                statement.setString(8, n.status());
                statement.setObject(9, utc(command.scheduledAt()));
                statement.setObject(10, utc(n.releaseAt()));
                statement.setObject(11, utc(command.expiresAt()));
                statement.setObject(12, created);
                statement.setString(13, command.idempotencyKey());
                statement.setObject(
                    14, command.idempotencyKey() == null ? null : utc(idempotencyExpiresAt));
              }

              @Override
              public int getBatchSize() {
                return notifications.size();
              }
            });
    boolean[] inserted = new boolean[notifications.size()];
    List<OwnedDelivery> deliveries = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      inserted[i] = counts[i] == 1;
      if (inserted[i]) {
        NewNotification n = notifications.get(i);
        n.deliveries().forEach(d -> deliveries.add(new OwnedDelivery(n, d)));
      }
    }
    batch.batchUpdate(
        """
        INSERT INTO deliveries (id, notification_id, channel, priority, status, subject, title,
                                body, attempt_limit, last_error, queued_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        deliveries,
        deliveries.size(),
        (statement, owned) -> {
          NewNotification n = owned.notification();
          NewDelivery d = owned.delivery();
          statement.setObject(1, d.id());
          statement.setObject(2, n.id());
          statement.setString(3, d.channel());
          statement.setString(4, n.command().priority().wire());
          statement.setString(5, d.status());
          statement.setString(6, d.subject());
          statement.setString(7, d.title());
          statement.setString(8, d.body());
          statement.setInt(9, attemptLimit);
          statement.setString(10, d.skipReason());
          statement.setObject(11, "queued".equals(d.status()) ? created : null);
          statement.setObject(12, created);
        });
    return inserted;
  }

  private record OwnedDelivery(NewNotification notification, NewDelivery delivery) {}

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

  /** The notifications holding those of {@code keys} that have not expired, by key. */
  Map<String, UUID> findByIdempotencyKeys(List<String> keys, Instant now) {
    Map<String, UUID> found = new HashMap<>();
    if (keys.isEmpty()) {
      return found;
    }
    jdbc.sql(
            """
            SELECT idempotency_key, id FROM notifications
             WHERE idempotency_key = ANY(?) AND idempotency_expires_at > ?
            """)
        .params(keys.toArray(String[]::new), utc(now))
        .query(
            (RowCallbackHandler)
                rs -> found.put(rs.getString("idempotency_key"), rs.getObject("id", UUID.class)));
    return found;
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
