package dev.ferry.notification.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import dev.ferry.notification.fakes.FakeTwilio;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardAndMetricsTest extends IntegrationTestBase {

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
        .contains("notification_outbox_size");
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
