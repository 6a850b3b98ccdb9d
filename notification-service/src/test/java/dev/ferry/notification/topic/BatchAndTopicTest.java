package dev.ferry.notification.topic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchAndTopicTest extends IntegrationTestBase {

  @Test
  void batchAcceptsValidItemsAndReportsInvalidOnesByIndexAndField() {
    String firstEmail = newEmail();
    String first = newUserWithEmail(firstEmail);
    String second = newUserWithEmail(newEmail());

    Map<String, Object> response =
        sendBatch(
            List.of(
                request(first, "normal", List.of("email")),
                request(newUser(), "urgent", List.of("email")),
                request(second, "low", List.of("email"))));

    assertThat(response.get("accepted")).isEqualTo(2);
    assertThat(response.get("rejected")).isEqualTo(1);
    List<Map<String, Object>> results = results(response);
    assertThat(results.get(0).get("status")).isEqualTo("queued");
    assertThat(results.get(1))
        .containsEntry("index", 1)
        .containsEntry("status", "rejected")
        .containsEntry("field", "notifications[1].priority");
    awaitChannel(results.get(0).get("notification_id"), "email", "delivered");
    assertThat(SENDGRID.receivedFor(firstEmail)).hasSize(1);
  }

  @Test
  void batchItemsSharingAnIdempotencyKeyMakeOneNotificationAndABadTemplateRejectsOnlyItsItem() {
    String email = newEmail();
    String user = newUserWithEmail(email);
    String key = "batch-" + UUID.randomUUID();
    Map<String, Object> keyed = request(user, "normal", List.of("email"));
    keyed.put("idempotency_key", key);
    Map<String, Object> missingTemplate = request(user, "normal", List.of("email"));
    missingTemplate.remove("body");
    missingTemplate.put("template", "no-such-template-" + UUID.randomUUID());

    List<Map<String, Object>> results = results(sendBatch(List.of(keyed, missingTemplate, keyed)));

    assertThat(results.get(0).get("status")).isEqualTo("queued");
    assertThat(results.get(1))
        .containsEntry("status", "rejected")
        .containsEntry("field", "notifications[1].template");
    assertThat(results.get(2).get("notification_id"))
        .isEqualTo(results.get(0).get("notification_id"));
    assertThat(
            jdbc.sql("SELECT count(*) FROM notifications WHERE idempotency_key = ?")
                .param(key)
                .query(Long.class)
                .single())
        .isEqualTo(1);
    awaitChannel(results.get(0).get("notification_id"), "email", "delivered");
    assertThat(SENDGRID.receivedFor(email)).hasSize(1);
  }

  @Test
  void batchOverTheLimitIsRejectedWhole() {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      items.add(request("u" + i, "low", List.of("sms")));
    }
    client
        .post()
        .uri("/api/v1/notifications/batch")
        .body(Map.of("notifications", items))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("notifications");
  }

  @Test
  @SuppressWarnings("unchecked")
  void topicFanOutReachesEverySubscriberOnceEvenWhenRepeated() {
    String topic = "launch-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String email = newEmail();
      subscribe(topic, newUserWithEmail(email));
      emails.add(email);
    }
    Map<String, Object> fanOut =
        Map.of(
            "type", "launch",
            "channels", List.of("email"),
            "subject", "We launched",
            "body", "Come and see.",
            "idempotency_key", "launch-" + topic);

    Map<String, Object> first = fanOut(topic, fanOut);
    Map<String, Object> again = fanOut(topic, fanOut);

    assertThat(first.get("subscribers")).isEqualTo(3);
    Map<String, Object> results = (Map<String, Object>) first.get("results");
    assertThat(results.get("accepted")).isEqualTo(3);
    List<Object> ids = results(results).stream().map(r -> r.get("notification_id")).toList();
    List<Object> repeatedIds =
        results((Map<String, Object>) again.get("results")).stream()
            .map(r -> r.get("notification_id"))
            .toList();
    assertThat(repeatedIds).isEqualTo(ids);
    for (Object id : ids) {
      awaitChannel(id, "email", "delivered");
    }
    assertThat(emails).allSatisfy(e -> assertThat(SENDGRID.receivedFor(e)).hasSize(1));
  }

  private void subscribe(String topic, String user) {
    client
        .post()
        .uri("/api/v1/topics/{key}/subscribers", topic)
        .body(Map.of("user_id", user))
        .exchange()
        .expectStatus()
        .isCreated();
  }

  private Map<String, Object> fanOut(String topic, Map<String, Object> body) {
    return client
        .post()
        .uri("/api/v1/topics/{key}/notifications", topic)
        .body(body)
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }
}
