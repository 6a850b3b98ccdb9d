package dev.ferry.notification.notification;

import static dev.ferry.notification.SqlTimes.text;
import static dev.ferry.notification.SqlTimes.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowCallbackHandler;
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

  /** A notification to insert with its deliveries; status queued, scheduled or skipped. */
  record NewNotification(
      UUID id,
      NotificationCommand command,
      String status,
      Instant releaseAt,
      List<NewDelivery> deliveries) {}

  /**
   * Inserts {@code notifications} in one multi-row statement, skipping any whose idempotency key
   * another notification holds (inserted earlier in this statement, or by a concurrent request,
   * whose commit this waits for); then the deliveries of those inserted, in a second statement.
   * Must run in a transaction.
   *
   * <p>Why one statement per table rather than a JDBC batch: a batch still executes every row as a
   * statement of its own in Postgres (a bind, an executor start and end per row), which was most of
   * Postgres's CPU per accept; {@code INSERT ... SELECT FROM unnest(arrays)} inserts all rows in
   * one execution. Each column travels as one array parameter, a text array cast to the column's
   * type row by row (a {@code VARCHAR[]} column from its array literal, such as {@code
   * {push,email}}). Which rows lost their idempotency key is told by {@code RETURNING id}: {@code
   * ON CONFLICT DO NOTHING} leaves a row out of the result exactly when it was not inserted, also
   * when an earlier row of the same statement took the key.
   *
   * @return for each notification, whether it was inserted (false: it lost its idempotency key)
   */
  boolean[] insertAll(
      List<NewNotification> notifications,
      int attemptLimit,
      Instant now,
      Instant idempotencyExpiresAt) {
    int size = notifications.size();
    String[] ids = new String[size];
    String[] users = new String[size];
    String[] types = new String[size];
    String[] priorities = new String[size];
    String[] channels = new String[size];
    String[] templates = new String[size];
    String[] data = new String[size];
    String[] statuses = new String[size];
    String[] scheduledAt = new String[size];
    String[] releaseAt = new String[size];
    String[] expiresAt = new String[size];
    String[] keys = new String[size];
    for (int i = 0; i < size; i++) {
      NewNotification n = notifications.get(i);
      NotificationCommand command = n.command();
      ids[i] = n.id().toString();
      users[i] = command.userId();
      types[i] = command.type();
      priorities[i] = command.priority().wire();
      // Channel names are lower-case words, so the literal needs no quoting.
      channels[i] =
          command.channels().stream().map(c -> c.wire()).collect(Collectors.joining(",", "{", "}"));
      templates[i] = command.template();
      data[i] = json.writeValueAsString(command.data());
      statuses[i] = n.status();
      scheduledAt[i] = text(command.scheduledAt());
      releaseAt[i] = text(n.releaseAt());
      expiresAt[i] = text(command.expiresAt());
      keys[i] = command.idempotencyKey();
    }
    Set<UUID> insertedIds =
        new HashSet<>(
            jdbc.sql(
                    """
                    INSERT INTO notifications (id, user_id, type, priority, channels, template,
                                               data, status, scheduled_at, release_at, expires_at,
                                               created_at, idempotency_key, idempotency_expires_at)
                    SELECT CAST(n.id AS UUID), n.user_id, n.type, n.priority,
                           CAST(n.channels AS VARCHAR(10)[]), n.template, CAST(n.data AS JSONB),
                           n.status, CAST(n.scheduled_at AS TIMESTAMPTZ),
                           CAST(n.release_at AS TIMESTAMPTZ), CAST(n.expires_at AS TIMESTAMPTZ),
                           :now, n.idempotency_key,
                           CASE WHEN n.idempotency_key IS NOT NULL THEN :keyExpiresAt END
                      FROM unnest(CAST(:ids AS TEXT[]), CAST(:users AS TEXT[]),
                                  CAST(:types AS TEXT[]), CAST(:priorities AS TEXT[]),
                                  CAST(:channels AS TEXT[]), CAST(:templates AS TEXT[]),
                                  CAST(:data AS TEXT[]), CAST(:statuses AS TEXT[]),
                                  CAST(:scheduledAt AS TEXT[]), CAST(:releaseAt AS TEXT[]),
                                  CAST(:expiresAt AS TEXT[]), CAST(:keys AS TEXT[]))
                           AS n(id, user_id, type, priority, channels, template, data, status,
                                scheduled_at, release_at, expires_at, idempotency_key)
                    ON CONFLICT (idempotency_key) DO NOTHING
                    RETURNING id
                    """)
                .param("now", utc(now))
                .param("keyExpiresAt", utc(idempotencyExpiresAt))
                .param("ids", ids)
                .param("users", users)
                .param("types", types)
                .param("priorities", priorities)
                .param("channels", channels)
                .param("templates", templates)
                .param("data", data)
                .param("statuses", statuses)
                .param("scheduledAt", scheduledAt)
                .param("releaseAt", releaseAt)
                .param("expiresAt", expiresAt)
                .param("keys", keys)
                .query(UUID.class)
                .list());
    boolean[] inserted = new boolean[size];
    List<NewNotification> stored = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      inserted[i] = insertedIds.contains(notifications.get(i).id());
      if (inserted[i]) {
        stored.add(notifications.get(i));
      }
    }
    insertDeliveries(stored, attemptLimit, now);
    return inserted;
  }

  /** The deliveries of {@code notifications}, in one multi-row statement like theirs. */
  private void insertDeliveries(
      List<NewNotification> notifications, int attemptLimit, Instant now) {
    List<String> ids = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    List<String> channels = new ArrayList<>();
    List<String> priorities = new ArrayList<>();
    List<String> statuses = new ArrayList<>();
    List<String> subjects = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (NewNotification n : notifications) {
      for (NewDelivery d : n.deliveries()) {
        ids.add(d.id().toString());
        owners.add(n.id().toString());
        channels.add(d.channel());
        priorities.add(n.command().priority().wire());
        statuses.add(d.status());
        subjects.add(d.subject());
        titles.add(d.title());
        bodies.add(d.body());
        errors.add(d.skipReason());
      }
    }
    if (ids.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            INSERT INTO deliveries (id, notification_id, channel, priority, status, subject,
                                    title, body, attempt_limit, last_error, queued_at, created_at)
            SELECT CAST(d.id AS UUID), CAST(d.notification_id AS UUID), d.channel, d.priority,
                   d.status, d.subject, d.title, d.body, :attemptLimit, d.last_error,
                   CASE WHEN d.status = 'queued' THEN :now END, :now
              FROM unnest(CAST(:ids AS TEXT[]), CAST(:owners AS TEXT[]),
                          CAST(:channels AS TEXT[]), CAST(:priorities AS TEXT[]),
                          CAST(:statuses AS TEXT[]), CAST(:subjects AS TEXT[]),
                          CAST(:titles AS TEXT[]), CAST(:bodies AS TEXT[]),
                          CAST(:errors AS TEXT[]))
                   AS d(id, notification_id, channel, priority, status, subject, title, body,
                        last_error)
            """)
        .param("attemptLimit", attemptLimit)
        .param("now", utc(now))
        .param("ids", ids.toArray(String[]::new))
        .param("owners", owners.toArray(String[]::new))
        .param("channels", channels.toArray(String[]::new))
        .param("priorities", priorities.toArray(String[]::new))
        .param("statuses", statuses.toArray(String[]::new))
        .param("subjects", subjects.toArray(String[]::new))
        .param("titles", titles.toArray(String[]::new))
        .param("bodies", bodies.toArray(String[]::new))
        .param("errors", errors.toArray(String[]::new))
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

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
