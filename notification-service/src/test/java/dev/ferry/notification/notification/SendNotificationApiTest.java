package dev.ferry.notification.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendNotificationApiTest extends IntegrationTestBase {

  @Test
  void acceptsAndDeliversPushEmailAndSmsThroughTheProviderSdks() {
    String user = newUser();
    String token = registerDevice(user, "tok-");
    String email = newEmail();
    String phone = newPhone();
    saveContacts(user, email, phone);

    Map<String, Object> accepted = send(request(user, "high", List.of("push", "email", "sms")));

    assertThat(accepted.get("status")).isEqualTo("queued");
    assertThat(accepted.get("channels"))
        .isEqualTo(Map.of("push", "pending", "email", "pending", "sms", "pending"));
    Object id = accepted.get("notification_id");
    Map<String, Object> push = awaitChannel(id, "push", "delivered");
    Map<String, Object> mail = awaitChannel(id, "email", "delivered");
    Map<String, Object> sms = awaitChannel(id, "sms", "delivered");

    assertThat(push.get("provider")).isEqualTo("fcm");
    assertThat((String) push.get("provider_message_id"))
        .startsWith("projects/ferry-test/messages/");
    assertThat(push.get("attempts")).isEqualTo(1);
    assertThat(push.get("delivered_at")).isNotNull();
    assertThat(mail.get("provider")).isEqualTo("sendgrid");
    assertThat((String) mail.get("provider_message_id")).startsWith("sg-");
    assertThat(sms.get("provider")).isEqualTo("twilio");
    assertThat((String) sms.get("provider_message_id")).startsWith("SM");
    assertThat(status(id).get("status")).isEqualTo("delivered");

    assertThat(FCM.receivedFor(token))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.body()).contains("Your order shipped").contains("It arrives on Friday.");
              assertThat(r.authorization()).isEqualTo("Bearer test-token");
            });
    assertThat(SENDGRID.receivedFor(email))
        .singleElement()
        .satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer SG.test"));
    assertThat(TWILIO.receivedFor(phone))
        .singleElement()
        .satisfies(r -> assertThat(r.body()).contains("Body=It+arrives+on+Friday."));
  }

  @Test
  void sameIdempotencyKeyInBodyReturnsTheOriginalNotification() {
    String user = newUser();
    String email = newEmail();
    saveContacts(user, email, null);
    Map<String, Object> request = request(user, "normal", List.of("email"));
    request.put("idempotency_key", "order-456-shipped-" + user);

    Object first = send(request).get("notification_id");
    Object second = send(request).get("notification_id");

    assertThat(second).isEqualTo(first);
    awaitChannel(first, "email", "delivered");
    assertThat(SENDGRID.receivedFor(email)).hasSize(1);
    assertThat(
            jdbc.sql("SELECT count(*) FROM notifications WHERE user_id = ?")
                .param(user)
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void idempotencyKeyHeaderIsHonouredAndMarkedAsReplay() {
    String user = newUser();
    saveContacts(user, newEmail(), null);
    Map<String, Object> request = request(user, "normal", List.of("email"));
    String key = "hdr-" + user;

    Object first =
        client
            .post()
            .uri("/api/v1/notifications")
            .header("Idempotency-Key", key)
            .body(request)
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectHeader()
            .valueEquals("Idempotent-Replayed", "false")
            .expectBody(JSON)
            .returnResult()
            .getResponseBody()
            .get("notification_id");
    Object second =
        client
            .post()
            .uri("/api/v1/notifications")
            .header("Idempotency-Key", key)
            .body(request)
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectHeader()
            .valueEquals("Idempotent-Replayed", "true")
            .expectBody(JSON)
            .returnResult()
            .getResponseBody()
            .get("notification_id");

    assertThat(second).isEqualTo(first);
  }

  @Test
  void statusOfAnUnknownNotificationIsNotFound() {
    client
        .get()
        .uri("/api/v1/notifications/{id}/status", java.util.UUID.randomUUID())
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://ferry.dev/problems/not-found");
  }

  @Test
  void optedOutChannelIsSkippedAndNotSent() {
    String user = newUser();
    String email = newEmail();
    String phone = newPhone();
    saveContacts(user, email, phone);
    client
        .put()
        .uri("/api/v1/users/{id}/preferences", user)
        .body(Map.of("channels", Map.of("sms", false)))
        .exchange()
        .expectStatus()
        .isOk();

    Map<String, Object> accepted = send(request(user, "normal", List.of("email", "sms")));

    assertThat(accepted.get("channels")).isEqualTo(Map.of("email", "pending", "sms", "opted_out"));
    awaitChannel(accepted.get("notification_id"), "email", "delivered");
    assertThat(channelStatus(accepted.get("notification_id"), "sms").get("status"))
        .isEqualTo("skipped");
    assertThat(TWILIO.receivedFor(phone)).isEmpty();
  }

  @Test
  void perTypeOverrideWinsOverTheChannelSwitch() {
    String user = newUser();
    saveContacts(user, newEmail(), null);
    client
        .put()
        .uri("/api/v1/users/{id}/preferences", user)
        .body(Map.of("types", Map.of("promo", Map.of("email", false))))
        .exchange()
        .expectStatus()
        .isOk();
    Map<String, Object> promo = request(user, "low", List.of("email"));
    promo.put("type", "promo");

    Map<String, Object> accepted = send(promo);

    assertThat(accepted.get("status")).isEqualTo("skipped");
    assertThat(accepted.get("channels")).isEqualTo(Map.of("email", "opted_out"));
  }

  @Test
  void channelWithoutARecipientIsSkipped() {
    String user = newUser();

    Map<String, Object> accepted = send(request(user, "normal", List.of("push", "sms")));

    assertThat(accepted.get("status")).isEqualTo("skipped");
    assertThat(accepted.get("channels"))
        .isEqualTo(Map.of("push", "no_recipient", "sms", "no_recipient"));
  }
}
