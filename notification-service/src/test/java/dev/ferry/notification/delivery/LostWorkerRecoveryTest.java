package dev.ferry.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A worker that dies after claiming an attempt leaves its delivery "sending" with no Kafka message
 * left to redo it (its offset may already be committed). The test puts a delivery in exactly the
 * state such a crash leaves in Postgres; the scheduler's lease sweep must then complete it, once.
 */
class LostWorkerRecoveryTest extends IntegrationTestBase {

  @Test
  void deliveryLeftSendingByADeadWorkerCompletesOnceAfterTheLease() {
    String user = newUser();
    String email = newEmail();
    saveContacts(user, email, null);
    Map<String, Object> request = request(user, "normal", List.of("email"));
    request.put("scheduled_at", CLOCK.instant().plus(Duration.ofDays(365)).toString());
    Object id = send(request).get("notification_id");
    UUID notification = UUID.fromString(id.toString());
    jdbc.sql("UPDATE notifications SET status = 'queued' WHERE id = ?")
        .param(notification)
        .update();
    jdbc.sql(
            """
            UPDATE deliveries SET status = 'sending', attempt_count = 1, last_attempt_at = ?
             WHERE notification_id = ?
            """)
        .params(
            OffsetDateTime.ofInstant(CLOCK.instant().minus(Duration.ofHours(1)), ZoneOffset.UTC),
            notification)
        .update();

    Map<String, Object> mail = awaitChannel(id, "email", "delivered");

    assertThat(mail.get("attempts")).isEqualTo(2);
    assertThat(SENDGRID.receivedFor(email)).hasSize(1);
    assertThat(status(id).get("status")).isEqualTo("delivered");
  }
}
