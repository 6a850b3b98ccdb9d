package dev.ferry.shortener.analytics;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.shortener.ShortenerApplication;
import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Countries from the MaxMind database the test deployment is configured with (the fixture of {@code
 * make-test-mmdb.pl}), resolved by the real analytics consumer from the address each click event
 * carries. Events are put on the click topic directly, since every request of a test comes from
 * 127.0.0.1.
 */
class GeoIpAnalyticsTest extends ShortenerIntegrationTest {

  @Autowired KafkaTemplate<String, String> kafka;
  @Autowired MeterRegistry registry;

  @Test
  void clicksWithoutACountryHeaderAreCountedUnderTheCountryOfTheirAddress() throws Exception {
    String code = shortenUrl(ALICE_KEY, "https://example.com/geo");
    double foundBefore = geoipLookups("found");

    for (String ip :
        List.of(
            "81.2.69.142",
            "81.2.69.7",
            "::ffff:81.2.69.200",
            "89.160.20.115",
            "216.160.83.61",
            "2001:218:1:2::3",
            "2a02:d400::1")) {
      send(code, ip, null);
    }

    Map<String, Object> stats = awaitClicks(code, 7);
    assertThat(stats)
        .containsEntry("clicks_by_country", Map.of("GB", 3, "SE", 1, "US", 1, "JP", 1, "DE", 1));
    assertThat(geoipLookups("found") - foundBefore).isGreaterThanOrEqualTo(7.0);
  }

  @Test
  void theTrustedHeaderWinsOverTheDatabase() throws Exception {
    String code = shortenUrl(ALICE_KEY, "https://example.com/geo-header");

    send(code, "81.2.69.142", "FR");
    send(code, "2001:218::1", "br");
    send(code, "89.160.20.1", "XX");

    assertThat(awaitClicks(code, 3))
        .containsEntry("clicks_by_country", Map.of("FR", 1, "BR", 1, "SE", 1));
  }

  @Test
  void addressesTheDatabaseDoesNotHoldAreUnknownAndCounted() throws Exception {
    String code = shortenUrl(ALICE_KEY, "https://example.com/geo-unknown");
    double unknownBefore = geoipLookups("unknown");

    for (String ip : List.of("10.0.0.1", "192.168.1.1", "2001:db8::1", "8.8.8.8", "not-an-ip")) {
      send(code, ip, null);
    }
    assertThat(http.get("/" + code).status()).isEqualTo(301);

    assertThat(awaitClicks(code, 6)).containsEntry("clicks_by_country", Map.of("unknown", 6));
    assertThat(geoipLookups("unknown") - unknownBefore).isGreaterThanOrEqualTo(6.0);
  }

  @Test
  void anInstanceWhoseDatabaseFileIsMissingDoesNotStart() {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    deploymentProperties()
        .forEach(
            (name, value) ->
                args.add(
                    "--"
                        + name
                        + "="
                        + (name.equals("ferry.shortener.analytics.geoip-database")
                            ? "/nonexistent/GeoLite2-Country.mmdb"
                            : value)));

    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(ShortenerApplication.class)
                    .run(args.toArray(String[]::new))
                    .close())
        .rootCause()
        .isInstanceOf(GeoIpDatabaseException.class)
        .hasMessageContaining("ferry.shortener.analytics.geoip-database")
        .hasMessageContaining("/nonexistent/GeoLite2-Country.mmdb");
  }

  private void send(String code, String ip, String country) throws Exception {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("event_id", UUID.randomUUID().toString());
    event.put("code", code);
    event.put("occurred_at", CLOCK.peek().toString());
    event.put("ip", ip);
    event.put("user_agent", null);
    event.put("referrer", null);
    event.put("country", country);
    kafka
        .send(
            deploymentProperties().get("ferry.shortener.analytics.topic"), code, Http.toJson(event))
        .get();
  }

  private Map<String, Object> awaitClicks(String code, int clicks) {
    Map<String, Object>[] stats = new Map[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              stats[0] = http.get("/api/v1/analytics/" + code, "X-API-Key", ALICE_KEY).json();
              assertThat(stats[0]).containsEntry("total_clicks", clicks);
            });
    return stats[0];
  }

  private double geoipLookups(String result) {
    return registry.get("ferry.shortener.clicks.geoip").tag("result", result).counter().count();
  }
}
