package dev.ferry.notification.schedule;

import dev.ferry.notification.Priority;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The due-work queries. Each claims rows with {@code FOR UPDATE SKIP LOCKED} inside the caller's
 * transaction, so when several instances poll at once every due row is taken by exactly one of
 * them, and a row is released only by the commit that enqueued it.
 */
@Repository
class ScheduleRepository {

  private final JdbcClient jdbc;

  ScheduleRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  record DueNotification(UUID id, Instant expiresAt) {}

  record QueuedDelivery(UUID id, Priority priority, int attempt) {}

  List<DueNotification> lockDueNotifications(Instant now, int limit) {
    return jdbc.sql(
            """
            SELECT id, expires_at FROM notifications
             WHERE status = 'scheduled' AND release_at <= ?
             ORDER BY release_at LIMIT ? FOR UPDATE SKIP LOCKED
            """)
        .params(utc(now), limit)
        .query(
            (rs, row) -> {
              OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
              return new DueNotification(
                  rs.getObject("id", UUID.class), expires == null ? null : expires.toInstant());
            })
        .list();
  }

  /** Moves a released notification's pending deliveries to queued; returns them. */
  List<QueuedDelivery> release(UUID notificationId, Instant now) {
    jdbc.sql("UPDATE notifications SET status = 'queued' WHERE id = ?")
        .param(notificationId)
        .update();
    return jdbc.sql(
            """
            UPDATE deliveries SET status = 'queued', queued_at = ?
             WHERE notification_id = ? AND status = 'pending'
            RETURNING id, priority, attempt_count + 1 AS attempt
            """)
        .params(utc(now), notificationId)
        .query(
            (rs, row) ->
                new QueuedDelivery(
                    rs.getObject("id", UUID.class),
                    Priority.fromWire(rs.getString("priority")).orElseThrow(),
                    rs.getInt("attempt")))
        .list();
  }

  /** Marks a notification whose expiry passed before release, and its deliveries, expired. */
  void expire(UUID notificationId, Instant now) {
    jdbc.sql("UPDATE notifications SET status = 'expired' WHERE id = ?")
        .param(notificationId)
        .update();
    jdbc.sql(
            """
            UPDATE deliveries SET status = 'expired', failed_at = ?,
                   last_error = 'expired before it could be delivered'
             WHERE notification_id = ? AND status = 'pending'
            """)
        .params(utc(now), notificationId)
        .update();
  }

  /** Queues the deliveries whose retry is due; returns them with the attempt to make. */
  List<QueuedDelivery> queueDueRetries(Instant now, int limit) {
    return jdbc.sql(
            """
            UPDATE deliveries SET status = 'queued', queued_at = :now
             WHERE id IN (SELECT id FROM deliveries
                           WHERE status = 'retrying' AND next_attempt_at <= :now
                           ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
            RETURNING id, priority, attempt_count + 1 AS attempt
            """)
        .param("now", utc(now))
        .param("limit", limit)
        .query(
            (rs, row) ->
                new QueuedDelivery(
                    rs.getObject("id", UUID.class),
                    Priority.fromWire(rs.getString("priority")).orElseThrow(),
                    rs.getInt("attempt")))
        .list();
  }

  /**
   * Deliveries "sending" for longer than {@code lease}: their worker died mid-attempt. They are
   * made due for another attempt at once, and that attempt does not count against the budget, since
   * the lost one may never have reached the provider.
   */
  int recoverLostAttempts(Instant now, Duration lease, int limit) {
    return jdbc.sql(
            """
            UPDATE deliveries SET status = 'retrying', next_attempt_at = :now,
                   attempt_limit = GREATEST(attempt_limit, attempt_count + 1),
                   last_error = 'worker lost during attempt ' || attempt_count
             WHERE id IN (SELECT id FROM deliveries
                           WHERE status = 'sending' AND last_attempt_at < :cutoff
                           LIMIT :limit FOR UPDATE SKIP LOCKED)
            """)
        .param("now", utc(now))
        .param("cutoff", utc(now.minus(lease)))
        .param("limit", limit)
        .update();
  }

  /** Forgets idempotency keys past their retention, so the key may be used again. */
  int expireIdempotencyKeys(Instant now, int limit) {
    return jdbc.sql(
            """
            UPDATE notifications SET idempotency_key = NULL, idempotency_expires_at = NULL
             WHERE id IN (SELECT id FROM notifications
                           WHERE idempotency_key IS NOT NULL AND idempotency_expires_at <= ?
                           LIMIT ? FOR UPDATE SKIP LOCKED)
            """)
        .params(utc(now), limit)
        .update();
  }

  long queued(Priority priority) {
    return jdbc.sql(
            "SELECT count(*) FROM deliveries WHERE status IN ('queued', 'sending') AND priority = ?")
        .param(priority.wire())
        .query(Long.class)
        .single();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
