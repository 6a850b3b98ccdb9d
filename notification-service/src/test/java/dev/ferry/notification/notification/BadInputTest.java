package dev.ferry.notification.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.MediaType;

/** Every kind of bad send request gets a 400 problem naming the field, and stores nothing. */
class BadInputTest extends IntegrationTestBase {

  static List<Arguments> badRequests() {
    return List.of(
        bad("unknown channel", "channels[1]", r -> r.put("channels", List.of("push", "fax"))),
        bad("unknown priority", "priority", r -> r.put("priority", "urgent")),
        bad("empty channel list", "channels", r -> r.put("channels", List.of())),
        bad("channel named twice", "channels[1]", r -> r.put("channels", List.of("sms", "sms"))),
        bad("missing user", "user_id", r -> r.remove("user_id")),
        bad("blank user", "user_id", r -> r.put("user_id", "")),
        bad(
            "oversized idempotency key",
            "idempotency_key",
            r -> r.put("idempotency_key", "k".repeat(256))),
        bad("blank type", "type", r -> r.put("type", " ")),
        bad("no body and no template", "body", r -> r.remove("body")),
        bad("oversized body", "body", r -> r.put("body", "x".repeat(10_001))),
        bad("NUL character in the body", "body", r -> r.put("body", "a\0b")),
        bad(
            "NUL character in the data",
            "data",
            r -> r.put("data", Map.of("order", List.of("ok", "a\0b")))),
        bad("expiry in the past", "expires_at", r -> r.put("expires_at", "2001-01-01T00:00:00Z")),
        bad("template not found", "template", r -> r.put("template", "no-such-template")),
        bad(
            "two different idempotency keys",
            "idempotency_key",
            r -> r.put("idempotency_key", "body-key")));
  }

  private static Arguments bad(
      String scenario, String field, Consumer<Map<String, Object>> change) {
    return Arguments.of(scenario, field, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badRequestIsAProblemNamingTheFieldAndStoresNothing(
      String scenario, String field, Consumer<Map<String, Object>> change) {
    String user = newUser();
    saveContacts(user, newEmail(), newPhone());
    Map<String, Object> request = request(user, "normal", List.of("email", "sms"));
    change.accept(request);

    client
        .post()
        .uri("/api/v1/notifications")
        .header("Idempotency-Key", "header-key-" + user)
        .body(request)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://ferry.dev/problems/invalid-field")
        .jsonPath("$.field")
        .isEqualTo(field)
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains(field));

    assertThat(
            jdbc.sql("SELECT count(*) FROM notifications WHERE user_id = ?")
                .param(user)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void malformedJsonIsAProblem() {
    client
        .post()
        .uri("/api/v1/notifications")
        .contentType(MediaType.APPLICATION_JSON)
        .body("{\"user_id\": ")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://ferry.dev/problems/malformed-body");
  }

  @Test
  void invalidPhoneAndEmailContactPointsAreRejected() {
    String user = newUser();
    client
        .put()
        .uri("/api/v1/users/{id}/contacts", user)
        .body(Map.of("email", "not-an-email", "phone", "+1555"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("email");
    client
        .put()
        .uri("/api/v1/users/{id}/contacts", user)
        .body(Map.of("phone", "0155512345"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("phone")
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("E.164"));
  }

  @Test
  void invalidDevicePlatformIsRejected() {
    client
        .post()
        .uri("/api/v1/users/{id}/devices", newUser())
        .body(Map.of("token", "abc", "platform", "blackberry"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("platform");
  }

  @Test
  void nestedPreferenceFieldsAreNamedAsTheJsonNamesThem() {
    client
        .put()
        .uri("/api/v1/users/{id}/preferences", newUser())
        .body(Map.of("quiet_hours", Map.of("start", "22:00", "end", "07:00", "time_zone", " ")))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("quiet_hours.time_zone")
        .jsonPath("$.errors[0].name")
        .isEqualTo("quiet_hours.time_zone");
  }

  @Test
  void batchItemFieldsAreNamedAsTheJsonNamesThem() {
    Map<String, Object> item = request(newUser(), "normal", List.of("sms"));
    item.remove("user_id");
    client
        .post()
        .uri("/api/v1/notifications/batch")
        .body(Map.of("notifications", List.of(item)))
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.results[0].field")
        .isEqualTo("notifications[0].user_id");
  }
}
