package dev.ferry.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.notification.IntegrationTestBase;
import dev.ferry.notification.fakes.FakeFcm;
import dev.ferry.notification.fakes.FakeSendGrid;
import dev.ferry.notification.fakes.FakeTwilio;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every provider failure branch, driven through the fakes behind the official SDKs. */
class ProviderFailureTest extends IntegrationTestBase {

  @Test
  void unregisteredPushTokenIsDeactivatedAtOnceWhileTheOtherDeviceStillGetsThePush() {
    String user = newUser();
    String dead = registerDevice(user, "dead-");
    String alive = registerDevice(user, "alive-");
    FCM.script(dead, FakeFcm.unregistered());

    Object id = send(request(user, "high", List.of("push"))).get("notification_id");

    Map<String, Object> push = awaitChannel(id, "push", "delivered");
    assertThat(push.get("attempts")).isEqualTo(1);
    assertThat(FCM.receivedFor(dead)).hasSize(1);
    assertThat(FCM.receivedFor(alive)).hasSize(1);
    List<Map<String, Object>> devices = devices(user);
    assertThat(devices)
        .anySatisfy(
            d -> {
              assertThat(d.get("token")).isEqualTo(dead);
              assertThat(d.get("active")).isEqualTo(false);
              assertThat((String) d.get("deactivation_reason")).contains("UNREGISTERED");
            })
        .anySatisfy(
            d -> {
              assertThat(d.get("token")).isEqualTo(alive);
              assertThat(d.get("active")).isEqualTo(true);
            });

    Object next = send(request(user, "high", List.of("push"))).get("notification_id");
    awaitChannel(next, "push", "delivered");
    assertThat(FCM.receivedFor(dead)).as("a dead token is never pushed again").hasSize(1);
  }

  @Test
  void invalidRegistrationTokenFailsWithoutRetryOrDeadLetter() {
    String user = newUser();
    String bad = registerDevice(user, "bad-");
    FCM.script(bad, FakeFcm.invalidToken());

    Object id = send(request(user, "normal", List.of("push"))).get("notification_id");

    Map<String, Object> push = awaitChannel(id, "push", "failed");
    assertThat(push.get("attempts")).isEqualTo(1);
    assertThat((String) push.get("last_error")).contains("INVALID_ARGUMENT");
    assertThat(FCM.receivedFor(bad)).hasSize(1);
    assertThat(deadLetterCount(id)).isZero();
    assertThat(devices(user))
        .singleElement()
        .satisfies(d -> assertThat(d.get("active")).isEqualTo(false));
  }

  @Test
  void pushRetryGoesOnlyToTheDeviceThatFailedNotToTheOneThatGotIt() {
    String user = newUser();
    String busy = registerDevice(user, "busy-");
    String fine = registerDevice(user, "fine-");
    FCM.script(busy, FakeFcm.quotaExceeded(0));

    Object id = send(request(user, "normal", List.of("push"))).get("notification_id");

    Map<String, Object> push = awaitChannel(id, "push", "delivered");
    assertThat(push.get("attempts")).isEqualTo(2);
    assertThat(FCM.receivedFor(fine)).as("took the first attempt; never sent again").hasSize(1);
    assertThat(FCM.receivedFor(busy)).as("429 first, then the retry").hasSize(2);
    assertThat(attempts(id))
        .extracting(a -> a.get("attempt") + " " + a.get("recipient") + " " + a.get("outcome"))
        .containsExactlyInAnyOrder(
            "1 " + busy + " rate_limited", "1 " + fine + " sent", "2 " + busy + " sent");
  }

  @Test
  void fcmQuotaExceededIsRetriedAfterRetryAfterThenDelivered() {
    String user = newUser();
    String token = registerDevice(user, "quota-");
    FCM.script(token, FakeFcm.quotaExceeded(1));

    Object id = send(request(user, "normal", List.of("push"))).get("notification_id");

    Map<String, Object> push = awaitChannel(id, "push", "delivered");
    assertThat(push.get("attempts")).isEqualTo(2);
    List<Map<String, Object>> attempts = attempts(id);
    assertThat(attempts).extracting(a -> a.get("outcome")).containsExactly("rate_limited", "sent");
    Duration gap =
        Duration.between(
            ((java.sql.Timestamp) attempts.get(0).get("finished_at")).toInstant(),
            ((java.sql.Timestamp) attempts.get(1).get("started_at")).toInstant());
    assertThat(gap)
        .as("Retry-After: 1 wins over the 200 ms backoff")
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void sendGridServerErrorFailsOverToTheSecondaryProvider() {
    String user = newUser();
    String email = newEmail();
    saveContacts(user, email, null);
    SENDGRID.script(email, FakeSendGrid.serverError());

    Object id = send(request(user, "critical", List.of("email"))).get("notification_id");

    Map<String, Object> mail = awaitChannel(id, "email", "delivered");
    assertThat(mail.get("provider")).isEqualTo("sendgrid-backup");
    assertThat(mail.get("attempts")).isEqualTo(1);
    assertThat(SENDGRID.receivedFor(email)).hasSize(1);
    assertThat(SENDGRID_BACKUP.receivedFor(email))
        .singleElement()
        .satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer SG.backup"));
    assertThat(attempts(id))
        .extracting(a -> a.get("provider"), a -> a.get("outcome"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sendgrid", "unavailable"),
            org.assertj.core.groups.Tuple.tuple("sendgrid-backup", "sent"));
  }

  @Test
  void sendGridRateLimitIsRetriedOnTheSameProviderNotFailedOver() {
    String user = newUser();
    String email = newEmail();
    saveContacts(user, email, null);
    SENDGRID.script(email, FakeSendGrid.rateLimited(0));

    Object id = send(request(user, "normal", List.of("email"))).get("notification_id");

    Map<String, Object> mail = awaitChannel(id, "email", "delivered");
    assertThat(mail.get("provider")).isEqualTo("sendgrid");
    assertThat(mail.get("attempts")).isEqualTo(2);
    assertThat(SENDGRID_BACKUP.receivedFor(email)).isEmpty();
  }

  @Test
  void invalidPhoneNumberErrorFromTwilioFailsAtOnce() {
    String user = newUser();
    String phone = newPhone();
    saveContacts(user, null, phone);
    TWILIO.script(phone, FakeTwilio.invalidNumber());

    Object id = send(request(user, "high", List.of("sms"))).get("notification_id");

    Map<String, Object> sms = awaitChannel(id, "sms", "failed");
    assertThat(sms.get("attempts")).isEqualTo(1);
    assertThat((String) sms.get("last_error")).contains("21211");
    assertThat(TWILIO.receivedFor(phone)).hasSize(1);
    assertThat(TWILIO_BACKUP.receivedFor(phone)).isEmpty();
  }

  @Test
  void providersFailingEveryAttemptEndInTheDeadLetterListAndARedriveDeliversOnce() {
    String user = newUser();
    String phone = newPhone();
    saveContacts(user, null, phone);
    // Twilio's SDK makes 3 calls per send on 5xx (RETRIES = 3); 3 attempts on each provider.
    for (int i = 0; i < 9; i++) {
      TWILIO.script(phone, FakeTwilio.serverError());
      TWILIO_BACKUP.script(phone, FakeTwilio.serverError());
    }

    Object id = send(request(user, "normal", List.of("sms"))).get("notification_id");

    Map<String, Object> sms = awaitChannel(id, "sms", "failed");
    assertThat(sms.get("attempts")).isEqualTo(3);
    assertThat(sms.get("failed_at")).isNotNull();
    assertThat(attempts(id)).hasSize(6);
    Map<String, Object> letter =
        deadLetters().stream()
            .filter(l -> id.equals(l.get("notification_id")))
            .findFirst()
            .orElseThrow();
    assertThat(letter.get("channel")).isEqualTo("sms");
    assertThat(letter.get("attempts")).isEqualTo(3);
    assertThat((String) letter.get("reason")).contains("twilio");

    client
        .post()
        .uri("/api/v1/dead-letters/{id}/redrive", letter.get("id"))
        .exchange()
        .expectStatus()
        .isAccepted();
    client
        .post()
        .uri("/api/v1/dead-letters/{id}/redrive", letter.get("id"))
        .exchange()
        .expectStatus()
        .isNotFound();

    Map<String, Object> redriven = awaitChannel(id, "sms", "delivered");
    assertThat(redriven.get("attempts")).isEqualTo(4);
    assertThat(deadLetters()).noneMatch(l -> id.equals(l.get("notification_id")));
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> TWILIO.receivedFor(phone).size() == 9 + 1);
  }

  private List<Map<String, Object>> devices(String user) {
    return client
        .get()
        .uri("/api/v1/users/{id}/devices", user)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(
            new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() {})
        .returnResult()
        .getResponseBody();
  }

  private List<Map<String, Object>> deadLetters() {
    return client
        .get()
        .uri("/api/v1/dead-letters?limit=1000")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(
            new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() {})
        .returnResult()
        .getResponseBody();
  }

  private long deadLetterCount(Object notificationId) {
    return jdbc.sql("SELECT count(*) FROM dead_letters WHERE notification_id = ?")
        .param(UUID.fromString(notificationId.toString()))
        .query(Long.class)
        .single();
  }

  private List<Map<String, Object>> attempts(Object notificationId) {
    return jdbc.sql(
            """
            SELECT a.attempt, a.recipient, a.provider, a.outcome, a.started_at, a.finished_at
              FROM delivery_attempts a
              JOIN deliveries d ON d.id = a.delivery_id
             WHERE d.notification_id = ? ORDER BY a.id
            """)
        .param(UUID.fromString(notificationId.toString()))
        .query()
        .listOfRows();
  }
}
