package dev.ferry.notification.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import dev.ferry.notification.fakes.FakeTwilio;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

class DashboardAndMetricsTest extends IntegrationTestBase {

  @LocalServerPort int port;

  @Test
  @SuppressWarnings("unchecked")
  void dashboardShowsDeliveryRateLatencyAndTopFailureReasons() {
    String user = newUser();
    String phone = newPhone();
    saveContacts(user, newEmail(), phone);
    TWILIO.script(phone, FakeTwilio.invalidNumber());
    Object id = send(request(user, "high", List.of("email", "sms"))).get("notification_id");
    awaitChannel(id, "email", "delivered");
    awaitChannel(id, "sms", "failed");

    Map<String, Object> rate = get("/api/v1/dashboard/delivery-rate?window=PT1H");
    assertThat((List<Map<String, Object>>) rate.get("channels"))
        .anySatisfy(
            row -> {
              assertThat(row.get("channel")).isEqualTo("email");
              assertThat(((Number) row.get("delivered")).longValue()).isPositive();
              assertThat(((Number) row.get("delivery_rate")).doubleValue()).isBetween(0.0, 100.0);
            });
    Map<String, Object> latency = get("/api/v1/dashboard/latency?window=PT1H");
    assertThat((List<Map<String, Object>>) latency.get("rows"))
        .anySatisfy(
            row -> {
              assertThat(row.get("channel")).isEqualTo("email");
              assertThat(row.get("priority")).isEqualTo("high");
              assertThat(((Number) row.get("p99_seconds")).doubleValue()).isGreaterThanOrEqualTo(0);
            });
    Map<String, Object> failures = get("/api/v1/dashboard/failure-reasons?window=PT1H");
    assertThat((List<Map<String, Object>>) failures.get("reasons"))
        .anySatisfy(
            row -> {
              assertThat(row.get("channel")).isEqualTo("sms");
              assertThat((String) row.get("reason")).contains("21211");
            });
  }

  @Test
  void windowOutOfRangeIsABadRequest() {
    client
        .get()
        .uri("/api/v1/dashboard/delivery-rate?window=P90D")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.parameter")
        .isEqualTo("window");
  }

  @Test
  void prometheusExposesTheDesignsMetrics() {
    String user = newUser();
    saveContacts(user, newEmail(), null);
    awaitChannel(
        send(request(user, "normal", List.of("email"))).get("notification_id"),
        "email",
        "delivered");

    String metrics =
        client
            .get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    assertThat(metrics)
        .contains(
            "notifications_sent_total{channel=\"email\",status=\"delivered\",type=\"order_update\"}")
        .contains("notification_latency_seconds_bucket{channel=\"email\",priority=\"normal\"")
        .contains("notification_queue_size{priority=\"critical\"}")
        .contains("notification_outbox_lag_seconds")
        .contains("notification_outbox_size")
        // Present from the start, before any failure, for dashboards and alerts to find.
        .contains("notification_retries_total{channel=\"sms\"}")
        .contains("notification_dead_letters_total{channel=\"push\"}");
  }

  /**
   * Uses the JDK client: the test client's Apache HttpClient 5 obeys Retry-After on a 429 by
   * sleeping and retrying, which would wait out the whole window.
   */
  @Test
  void apiKeyOverItsLimitGetsTooManyRequestsWithRetryAfter() throws Exception {
    String key = "key-" + newUser();
    String body =
        "{\"user_id\": \""
            + newUser()
            + "\", \"type\": \"promo\", \"channels\": [\"sms\"], \"body\": \"Hi\"}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/notifications"))
            .header("Content-Type", "application/json")
            .header("X-Api-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    // The limit is 5 per one-hour window; 12 requests span at most two windows, so one of them
    // is the sixth in its window whatever the clock does.
    HttpResponse<String> refused = null;
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 12 && refused == null; i++) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 429) {
        refused = response;
      }
    }
    assertThat(refused).isNotNull();
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(refused.body()).contains("https://ferry.dev/problems/rate-limited");
  }

  private Map<String, Object> get(String uri) {
    return client
        .get()
        .uri(uri)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }
}
