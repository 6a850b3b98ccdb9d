package dev.ferry.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiTest extends IntegrationTestBase {

  @Test
  @SuppressWarnings("unchecked")
  void servesAnOpenApiDescriptionListingEveryEndpoint() {
    Map<String, Object> description =
        client
            .get()
            .uri("/v3/api-docs")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();

    Map<String, Map<String, Object>> paths =
        (Map<String, Map<String, Object>>) description.get("paths");
    assertThat(paths)
        .containsKeys(
            "/api/v1/notifications",
            "/api/v1/notifications/batch",
            "/api/v1/notifications/{id}/status",
            "/api/v1/topics/{key}/subscribers",
            "/api/v1/topics/{key}/subscribers/{userId}",
            "/api/v1/topics/{key}/notifications",
            "/api/v1/templates",
            "/api/v1/templates/{id}",
            "/api/v1/users/{userId}/preferences",
            "/api/v1/users/{userId}/devices",
            "/api/v1/users/{userId}/devices/{deviceId}",
            "/api/v1/users/{userId}/contacts",
            "/api/v1/dashboard/delivery-rate",
            "/api/v1/dashboard/latency",
            "/api/v1/dashboard/failure-reasons",
            "/api/v1/dead-letters",
            "/api/v1/dead-letters/{id}/redrive",
            "/api/v1/webhooks/sendgrid",
            "/api/v1/webhooks/twilio");
    assertThat(paths.get("/api/v1/notifications")).containsKey("post");
    assertThat(paths.get("/api/v1/users/{userId}/preferences")).containsKeys("get", "put");
  }
}
