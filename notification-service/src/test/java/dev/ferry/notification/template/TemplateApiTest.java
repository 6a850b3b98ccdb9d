package dev.ferry.notification.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TemplateApiTest extends IntegrationTestBase {

  @Test
  void notificationRenderedFromPerChannelTemplatesReachesTheProviders() {
    String name = "order_shipped_" + UUID.randomUUID().toString().substring(0, 8);
    create(
        name,
        "push",
        null,
        "Order {{order_id}} shipped",
        "Tracking {{tracking_number}}",
        List.of("order_id", "tracking_number"));
    create(
        name,
        "email",
        "Your order {{order_id}}",
        null,
        "<p>Track it: {{tracking_number}} & more</p>",
        List.of("order_id"));
    String user = newUser();
    String token = registerDevice(user, "tpl-");
    String email = newEmail();
    saveContacts(user, email, null);
    Map<String, Object> request =
        templated(user, name, Map.of("order_id", "ORD-456", "tracking_number", "1Z<9>"));

    Object id = send(request).get("notification_id");

    awaitChannel(id, "push", "delivered");
    awaitChannel(id, "email", "delivered");
    assertThat(FCM.receivedFor(token).get(0).body())
        .contains("Order ORD-456 shipped")
        .contains("Tracking 1Z<9>");
    String mail = SENDGRID.receivedFor(email).get(0).body();
    assertThat(mail).contains("Your order ORD-456").contains("1Z&lt;9&gt;");
  }

  @Test
  void missingTemplateVariableIsABadRequestAtSendTimeAndNothingIsStored() {
    String name = "welcome_" + UUID.randomUUID().toString().substring(0, 8);
    create(
        name, "push", null, "Hi {{first_name}}", "Welcome to {{product}}", List.of("first_name"));
    String user = newUser();
    registerDevice(user, "tpl-");

    client
        .post()
        .uri("/api/v1/notifications")
        .body(templated(user, name, Map.of("first_name", "Ada")))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("data")
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("product"));
    client
        .post()
        .uri("/api/v1/notifications")
        .body(templated(user, name, Map.of("product", "Ferry")))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("first_name"));
    assertThat(
            jdbc.sql("SELECT count(*) FROM notifications WHERE user_id = ?")
                .param(user)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void templatesAreUniquePerNameAndChannelAndCanBeReplacedAndDeleted() {
    String name = "promo_" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> created =
        create(name, "sms", null, null, "Sale: {{percent}}% off", List.of("percent"));
    client
        .post()
        .uri("/api/v1/templates")
        .body(body(name, "sms", null, null, "again", List.of()))
        .exchange()
        .expectStatus()
        .isEqualTo(409);

    client
        .put()
        .uri("/api/v1/templates/{id}", created.get("id"))
        .body(body(name, "sms", null, null, "Sale now: {{percent}}%", List.of("percent")))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.body")
        .isEqualTo("Sale now: {{percent}}%");
    client
        .get()
        .uri("/api/v1/templates?name={name}", name)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$[0].variables[0]")
        .isEqualTo("percent");

    client
        .delete()
        .uri("/api/v1/templates/{id}", created.get("id"))
        .exchange()
        .expectStatus()
        .isNoContent();
    client
        .get()
        .uri("/api/v1/templates/{id}", created.get("id"))
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  @Test
  void unparsableTemplateIsRejected() {
    client
        .post()
        .uri("/api/v1/templates")
        .body(body("broken", "push", null, "ok", "Hello {{#items}} unclosed", List.of()))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("body");
  }

  private Map<String, Object> create(
      String name,
      String channel,
      String subject,
      String title,
      String body,
      List<String> variables) {
    return client
        .post()
        .uri("/api/v1/templates")
        .body(body(name, channel, subject, title, body, variables))
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private static Map<String, Object> body(
      String name,
      String channel,
      String subject,
      String title,
      String body,
      List<String> variables) {
    Map<String, Object> request = new HashMap<>();
    request.put("name", name);
    request.put("channel", channel);
    request.put("subject", subject);
    request.put("title", title);
    request.put("body", body);
    request.put("variables", variables);
    return request;
  }

  private static Map<String, Object> templated(
      String user, String template, Map<String, Object> data) {
    Map<String, Object> request = request(user, "high", List.of("push", "email"));
    request.remove("title");
    request.remove("body");
    request.put("template", template);
    request.put("data", data);
    return request;
  }
}
