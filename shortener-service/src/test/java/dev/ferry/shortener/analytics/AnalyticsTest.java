package dev.ferry.shortener.analytics;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static dev.ferry.shortener.support.ShortenerInfrastructure.BOB_KEY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.shortener.shard.ShardedDatabases;
import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

class AnalyticsTest extends ShortenerIntegrationTest {

  private static final String CHROME_WINDOWS =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/120.0.0.0 Safari/537.36";
  private static final String SAFARI_IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
  private static final String GOOGLEBOT =
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

  @Autowired KafkaTemplate<String, String> kafka;
  @Autowired JsonMapper json;
  @Autowired ShardedDatabases databases;

  @Test
  void clicksAreRolledUpByDayCountryDeviceBrowserAndReferrerWithBotsApart() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/analysed");
    LocalDate today = LocalDate.ofInstant(CLOCK.peek(), ZoneOffset.UTC);
    for (int i = 0; i < 3; i++) {
      click(
          code,
          "User-Agent",
          CHROME_WINDOWS,
          "CF-IPCountry",
          "DE",
          "Referer",
          "https://news.example/item?id=1");
    }
    click(code, "User-Agent", SAFARI_IPHONE, "CF-IPCountry", "US");
    click(code, "User-Agent", GOOGLEBOT);
    click(code, "User-Agent", GOOGLEBOT);

    Map<String, Object> stats = awaitClicks(code, 4, 2);

    assertThat(stats)
        .containsEntry("short_code", code)
        .containsEntry("clicks_by_country", Map.of("DE", 3, "US", 1))
        .containsEntry("clicks_by_device", Map.of("desktop", 3, "mobile", 1))
        .containsEntry("clicks_by_browser", Map.of("Chrome", 3, "Mobile Safari", 1))
        .containsEntry("clicks_by_referrer", Map.of("news.example", 3, "direct", 1))
        .containsEntry("clicks_by_bot", Map.of("Googlebot", 2))
        .containsEntry("clicks_by_day", List.of(Map.of("date", today.toString(), "clicks", 4)));
    assertThat(http.get("/api/v1/urls/" + code, "X-API-Key", ALICE_KEY).json())
        .containsEntry("click_count", 4);
  }

  @Test
  void aClickEventDeliveredTwiceIsCountedOnce() throws Exception {
    String code = shortenUrl(ALICE_KEY, "https://example.com/replayed");
    String duplicate = event(code);

    kafka.send(topic(), code, duplicate).get();
    kafka.send(topic(), code, duplicate).get();
    kafka.send(topic(), code, event(code)).get();

    awaitClicks(code, 2, 0);
  }

  @Test
  void aRecordSentTwiceUnderOneBatchIdIsCountedOnceOnEachDatabaseItSpans() throws Exception {
    Map<String, String> codeByDatabase = new LinkedHashMap<>();
    for (int i = 0; codeByDatabase.size() < 2; i++) {
      String code = shortenUrl(ALICE_KEY, "https://example.com/batched/" + i);
      codeByDatabase.putIfAbsent(databases.route(code).physicalDatabase(), code);
    }
    List<String> codes = List.copyOf(codeByDatabase.values());
    String events = "[" + event(codes.get(0)) + "," + event(codes.get(1)) + "]";
    UUID batchId = UUID.randomUUID();

    kafka.send(batch(batchId, events)).get();
    kafka.send(batch(batchId, events)).get();
    kafka.send(batch(UUID.randomUUID(), "[" + event(codes.get(0)) + "]")).get();

    awaitClicks(codes.get(0), 2, 0);
    awaitClicks(codes.get(1), 1, 0);
  }

  @Test
  void aRecordWithAMalformedBatchIdIsSkippedWithoutBlockingTheOthers() throws Exception {
    String code = shortenUrl(ALICE_KEY, "https://example.com/bad-batch-id");
    ProducerRecord<String, String> malformed =
        new ProducerRecord<>(topic(), null, null, code, "[" + event(code) + "]");
    malformed.headers().add(ClickBatches.BATCH_ID_HEADER, "1 OR 1=1".getBytes(UTF_8));

    kafka.send(malformed).get();
    kafka.send(batch(UUID.randomUUID(), "[" + event(code) + "]")).get();

    awaitClicks(code, 1, 0);
  }

  @Test
  void clickTimesTravelAsEpochMillisecondsAndIsoTimesOfOlderProducersAreStillRead() {
    ClickEvent event =
        new ClickEvent(
            UUID.randomUUID(),
            "abc1234",
            Instant.parse("2026-11-28T10:00:00.123456Z"),
            "192.0.2.1",
            null,
            null,
            null);

    String wire = json.writeValueAsString(event);
    String older = wire.replace("1795860000123", "\"2026-11-28T10:00:00.123Z\"");

    assertThat(wire).contains("\"occurred_at\":1795860000123");
    assertThat(json.readValue(wire, ClickEvent.class).occurredAt())
        .isEqualTo(Instant.parse("2026-11-28T10:00:00.123Z"));
    assertThat(json.readValue(older, ClickEvent.class).occurredAt())
        .isEqualTo(Instant.parse("2026-11-28T10:00:00.123Z"));
  }

  @Test
  void unreadableClickRecordsAreSkippedWithoutBlockingTheOthers() throws Exception {
    String code = shortenUrl(ALICE_KEY, "https://example.com/poisoned");

    kafka.send(topic(), code, "this is not json").get();
    kafka.send(topic(), code, "{\"code\":\"" + code + "\"}").get();
    kafka.send(topic(), code, event(code)).get();

    awaitClicks(code, 1, 0);
  }

  @Test
  void aRecordOfManyClicksCountsEachAndSkipsOnlyItsUnreadableOnes() throws Exception {
    String code = shortenUrl(ALICE_KEY, "https://example.com/packed");
    String repeated = event(code);
    String packed =
        "["
            + String.join(",", event(code), repeated, "{\"code\":\"" + code + "\"}", repeated)
            + "]";

    kafka.send(topic(), code, packed).get();
    kafka.send(topic(), code, "[" + event(code) + "]").get();

    awaitClicks(code, 3, 0);
  }

  @Test
  void headRequestsAreNotCountedAsClicks() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/headed");
    http.head("/" + code);
    http.head("/" + code);
    click(code, "User-Agent", CHROME_WINDOWS);

    Map<String, Object> stats = awaitClicks(code, 1, 0);

    assertThat(stats).containsEntry("total_clicks", 1);
  }

  @Test
  void onlyTheOwnerReadsAnalytics() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/private-stats");

    assertThat(http.get("/api/v1/analytics/" + code, "X-API-Key", BOB_KEY).status()).isEqualTo(403);
    assertThat(http.get("/api/v1/analytics/" + code).status()).isEqualTo(401);
    assertThat(http.get("/api/v1/analytics/nope-" + code, "X-API-Key", ALICE_KEY).status())
        .isEqualTo(404);
  }

  @Test
  void rangeWithFromAfterToIsRefused() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/range");

    Http.Response response =
        http.get(
            "/api/v1/analytics/" + code + "?from=2026-02-10&to=2026-02-01", "X-API-Key", ALICE_KEY);

    assertThat(response.status()).isEqualTo(400);
    assertThat(blamedFields(response)).containsExactly("from");
  }

  private void click(String code, String... headers) {
    assertThat(http.get("/" + code, headers).status()).isEqualTo(301);
  }

  private Map<String, Object> awaitClicks(String code, int humans, int bots) {
    Map<String, Object>[] stats = new Map[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              stats[0] = http.get("/api/v1/analytics/" + code, "X-API-Key", ALICE_KEY).json();
              assertThat(stats[0])
                  .containsEntry("total_clicks", humans)
                  .containsEntry("bot_clicks", bots);
            });
    return stats[0];
  }

  private static String event(String code) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("event_id", UUID.randomUUID().toString());
    event.put("code", code);
    event.put("occurred_at", CLOCK.peek().toString());
    event.put("ip", "192.0.2.1");
    event.put("user_agent", CHROME_WINDOWS);
    event.put("referrer", null);
    event.put("country", "FR");
    return Http.toJson(event);
  }

  /** A record as {@link ClickBatches} sends it: {@code events} under {@code batchId}. */
  private static ProducerRecord<String, String> batch(UUID batchId, String events) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic(), events);
    record.headers().add(ClickBatches.BATCH_ID_HEADER, batchId.toString().getBytes(UTF_8));
    return record;
  }

  private static String topic() {
    return deploymentProperties().get("ferry.shortener.analytics.topic");
  }
}
