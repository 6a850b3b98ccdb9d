package dev.ferry.shortener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperationsTest extends ShortenerIntegrationTest {

  @Test
  void servesAnOpenApiDescriptionOfTheApi() {
    Http.Response response = http.get("/v3/api-docs");

    assertThat(response.status()).isEqualTo(200);
    @SuppressWarnings("unchecked")
    Map<String, Object> paths = (Map<String, Object>) response.json().get("paths");
    assertThat(paths)
        .containsKeys(
            "/api/v1/shorten",
            "/api/v1/shorten/batch",
            "/api/v1/urls",
            "/api/v1/urls/{code}",
            "/api/v1/analytics/{code}");
  }

  @Test
  void readinessAndLivenessAreUpWhenEveryShardAnswers() {
    assertThat(http.get("/actuator/health/readiness").json()).containsEntry("status", "UP");
    assertThat(http.get("/actuator/health/liveness").json()).containsEntry("status", "UP");
  }

  @Test
  void prometheusExposesRedirectAndCacheMetrics() {
    String code = shortenUrl(null, "https://example.com/metered");
    http.get("/" + code);

    String metrics = http.get("/actuator/prometheus").body();

    assertThat(metrics)
        .contains("ferry_shortener_redirects_total{status=\"301\"}")
        .contains("ferry_shortener_cache_lookups_total")
        .contains("ferry_shortener_shorten_seconds")
        .contains("ferry_keygen_client_buffer_size");
  }
}
