package dev.ferry.notification.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.Channel;
import dev.ferry.notification.IntegrationTestBase;
import dev.ferry.notification.Priority;
import dev.ferry.notification.notification.NotificationRepository.NewDelivery;
import dev.ferry.notification.notification.NotificationRepository.NewNotification;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The multi-row insert of the accept path against real Postgres: which rows lost their idempotency
 * key is reported per row (to a notification stored before, and to an earlier row of the same
 * statement), only the winners get deliveries, and every column arrives as written, the array, JSON
 * and timestamp columns that travel as text included.
 */
class NotificationRepositoryTest extends IntegrationTestBase {

  /**
   * Now, at a whole second plus microseconds (to show they survive the trip). The notification
   * stored here is scheduled an hour later, so the service's scheduler, which runs on the real
   * clock in this context, leaves it alone while the test reads it back; with a fixed date it
   * released and expired the notification once the real clock had passed that date.
   */
  private static final Instant NOW =
      Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(123_456, ChronoUnit.MICROS);

  private static final Instant KEYS_EXPIRE = NOW.plus(48, ChronoUnit.HOURS);

  @Autowired NotificationRepository repository;
  @Autowired TransactionTemplate transactions;

  @Test
  void insertAllReportsPerRowWhichLostTheirIdempotencyKeyAndStoresDeliveriesOfTheOthers() {
    String taken = "taken-" + UUID.randomUUID();
    String shared = "shared-" + UUID.randomUUID();
    assertThat(insert(List.of(notification(taken)))).containsExactly(true);

    List<NewNotification> rows =
        List.of(
            notification(null),
            notification(taken),
            notification(shared),
            notification(shared),
            notification(null));
    boolean[] inserted = insert(rows);

    assertThat(inserted).containsExactly(true, false, true, false, true);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(countWhere("notifications", "id", rows.get(i).id()))
          .as("notification %d stored", i)
          .isEqualTo(inserted[i] ? 1 : 0);
      assertThat(countWhere("deliveries", "notification_id", rows.get(i).id()))
          .as("deliveries of notification %d", i)
          .isEqualTo(inserted[i] ? 2 : 0);
    }
  }

  @Test
  void insertAllStoresEveryColumnAsWritten() {
    Instant scheduled = NOW.plus(1, ChronoUnit.HOURS);
    Instant expires = NOW.plus(2, ChronoUnit.HOURS);
    NotificationCommand command =
        new NotificationCommand(
            "user-" + UUID.randomUUID(),
            "order_shipped",
            Priority.HIGH,
            List.of(Channel.EMAIL, Channel.PUSH),
            "shipped",
            "Title with 'quotes'",
            "Subject",
            "Body, with {braces} and \"quotes\"",
            Map.of("order", "A-1", "items", List.of(1, 2)),
            scheduled,
            expires,
            "key-" + UUID.randomUUID());
    UUID email = UUID.randomUUID();
    NewNotification keyed =
        new NewNotification(
            UUID.randomUUID(),
            command,
            "scheduled",
            scheduled,
            List.of(
                new NewDelivery(email, "email", "pending", "Subject", "Title", "Body {x}", null),
                new NewDelivery(
                    UUID.randomUUID(), "push", "skipped", null, null, "", "no_recipient")));
    NewNotification unkeyed = notification(null);

    assertThat(insert(List.of(keyed, unkeyed))).containsExactly(true, true);

    Map<String, Object> row =
        jdbc.sql(
                """
                SELECT user_id, type, priority, array_to_string(channels, ',') AS channels,
                       template, data::text AS data, status, scheduled_at, release_at, expires_at,
                       created_at, idempotency_key, idempotency_expires_at
                  FROM notifications WHERE id = ?
                """)
            .param(keyed.id())
            .query()
            .singleRow();
    assertThat(row)
        .containsEntry("user_id", command.userId())
        .containsEntry("type", "order_shipped")
        .containsEntry("priority", "high")
        .containsEntry("channels", "email,push")
        .containsEntry("template", "shipped")
        .containsEntry("data", "{\"items\": [1, 2], \"order\": \"A-1\"}")
        .containsEntry("status", "scheduled")
        .containsEntry("idempotency_key", command.idempotencyKey());
    assertThat(instant(row, "scheduled_at")).isEqualTo(scheduled);
    assertThat(instant(row, "release_at")).isEqualTo(scheduled);
    assertThat(instant(row, "expires_at")).isEqualTo(expires);
    assertThat(instant(row, "created_at")).isEqualTo(NOW);
    assertThat(instant(row, "idempotency_expires_at")).isEqualTo(KEYS_EXPIRE);
    assertThat(
            jdbc.sql("SELECT idempotency_expires_at FROM notifications WHERE id = ?")
                .param(unkeyed.id())
                .query(OffsetDateTime.class)
                .optional())
        .as("no expiry without a key")
        .isEmpty();

    Map<String, Object> delivery =
        jdbc.sql(
                """
                SELECT notification_id, channel, priority, status, subject, title, body,
                       attempt_limit, last_error, queued_at, created_at
                  FROM deliveries WHERE id = ?
                """)
            .param(email)
            .query()
            .singleRow();
    assertThat(delivery)
        .containsEntry("notification_id", keyed.id())
        .containsEntry("channel", "email")
        .containsEntry("priority", "high")
        .containsEntry("status", "pending")
        .containsEntry("subject", "Subject")
        .containsEntry("title", "Title")
        .containsEntry("body", "Body {x}")
        .containsEntry("attempt_limit", 4)
        .containsEntry("last_error", null)
        .containsEntry("queued_at", null);
    assertThat(
            jdbc.sql("SELECT last_error FROM deliveries WHERE notification_id = ? AND channel = ?")
                .params(keyed.id(), "push")
                .query(String.class)
                .single())
        .isEqualTo("no_recipient");
    assertThat(
            jdbc.sql("SELECT queued_at FROM deliveries WHERE notification_id = ? AND channel = ?")
                .params(unkeyed.id(), "push")
                .query(OffsetDateTime.class)
                .single()
                .toInstant())
        .as("a queued delivery's queued_at")
        .isEqualTo(NOW);
  }

  private boolean[] insert(List<NewNotification> notifications) {
    return transactions.execute(tx -> repository.insertAll(notifications, 4, NOW, KEYS_EXPIRE));
  }

  /** A low-priority push and email, both queued, under {@code key} (nullable). */
  private static NewNotification notification(String key) {
    NotificationCommand command =
        new NotificationCommand(
            "user-" + UUID.randomUUID(),
            "bench",
            Priority.LOW,
            List.of(Channel.PUSH, Channel.EMAIL),
            null,
            "Title",
            null,
            "Body",
            Map.of(),
            null,
            null,
            key);
    return new NewNotification(
        UUID.randomUUID(),
        command,
        "queued",
        null,
        List.of(
            new NewDelivery(UUID.randomUUID(), "push", "queued", "Title", "Title", "Body", null),
            new NewDelivery(UUID.randomUUID(), "email", "queued", "Title", "Title", "Body", null)));
  }

  private long countWhere(String table, String column, UUID id) {
    return jdbc.sql("SELECT count(*) FROM " + table + " WHERE " + column + " = ?")
        .param(id)
        .query(Long.class)
        .single();
  }

  private static Instant instant(Map<String, Object> row, String column) {
    Object value = row.get(column);
    return value instanceof OffsetDateTime time
        ? time.toInstant()
        : ((java.sql.Timestamp) value).toInstant();
  }
}
