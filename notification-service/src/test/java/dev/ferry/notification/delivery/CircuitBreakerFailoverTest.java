package dev.ferry.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import dev.ferry.notification.fakes.FakeSendGrid;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The circuit breaker end to end: sends over HTTP, the real SendGrid SDK against a fake answering
 * 500, and a breaker small enough to open after two outages. This class has a context of its own
 * (the shared one keeps its breakers shut so that failures in other tests cannot open them).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "ferry.notification.circuit-breaker.minimum-calls=2",
      "ferry.notification.circuit-breaker.sliding-window-size=2",
      "ferry.notification.circuit-breaker.open-duration=1h"
    })
class CircuitBreakerFailoverTest extends IntegrationTestBase {

  @Test
  void primaryAnswering5xxOpensItsBreakerAndLaterMailGoesStraightToTheSecondary() {
    for (int i = 0; i < 2; i++) {
      String user = newUser();
      String email = newEmail();
      saveContacts(user, email, null);
      SENDGRID.script(email, FakeSendGrid.serverError());

      Object id = send(request(user, "high", List.of("email"))).get("notification_id");

      assertThat(awaitChannel(id, "email", "delivered").get("provider"))
          .isEqualTo("sendgrid-backup");
      assertThat(SENDGRID.receivedFor(email)).hasSize(1);
    }
    String user = newUser();
    String email = newEmail();
    saveContacts(user, email, null);

    Object id = send(request(user, "high", List.of("email"))).get("notification_id");

    assertThat(awaitChannel(id, "email", "delivered").get("provider")).isEqualTo("sendgrid-backup");
    assertThat(SENDGRID.receivedFor(email)).as("the open breaker keeps the primary out").isEmpty();
    assertThat(SENDGRID_BACKUP.receivedFor(email)).hasSize(1);
    assertThat(
            jdbc.sql(
                    """
                    SELECT a.provider || ' ' || a.outcome || ' ' || COALESCE(a.error, '')
                      FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
                     WHERE d.notification_id = ? ORDER BY a.id
                    """)
                .param(UUID.fromString(id.toString()))
                .query(String.class)
                .list())
        .containsExactly("sendgrid unavailable circuit open for sendgrid", "sendgrid-backup sent ");
  }
}
