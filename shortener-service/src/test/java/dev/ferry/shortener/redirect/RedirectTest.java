package dev.ferry.shortener.redirect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectTest extends ShortenerIntegrationTest {

  @Test
  void redirectsWith301ToTheLongUrlWithTheConfiguredCacheControl() {
    String code = shortenUrl(null, "https://example.com/landing?utm=ferry");

    Http.Response response = http.get("/" + code);

    assertThat(response.status()).isEqualTo(301);
    assertThat(response.header("Location")).contains("https://example.com/landing?utm=ferry");
    assertThat(response.header("Cache-Control")).contains("private, max-age=90");
  }

  @Test
  void aQueryStringOnTheShortUrlIsIgnoredOnAnL1MissAndOnAnL1Hit() {
    String code = shortenUrl(null, "https://example.com/tracked");

    Http.Response first = http.get("/" + code + "?utm_source=newsletter");
    Http.Response again = http.get("/" + code + "?utm_source=newsletter#top");

    assertThat(List.of(first.status(), again.status())).containsExactly(301, 301);
    assertThat(again.header("Location")).contains("https://example.com/tracked");
  }

  @ParameterizedTest
  @ValueSource(ints = {302, 307, 308})
  void redirectsWithTheTypeChosenForTheLink(int type) {
    String code =
        (String)
            shorten(null, fields("long_url", "https://example.com/typed", "redirect_type", type))
                .json()
                .get("short_code");

    Http.Response response = http.get("/" + code);

    assertThat(response.status()).isEqualTo(type);
    assertThat(response.header("Location")).contains("https://example.com/typed");
  }

  @Test
  void headAnswersLikeGetWithoutABody() {
    String code = shortenUrl(null, "https://example.com/head");

    Http.Response response = http.head("/" + code);

    assertThat(response.status()).isEqualTo(301);
    assertThat(response.header("Location")).contains("https://example.com/head");
    assertThat(response.bytes()).isEmpty();
  }

  @Test
  void unknownCodeGets404Problem() {
    Http.Response response = http.get("/" + unique("nope"));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json()).containsEntry("type", "https://ferry.dev/problems/not-found");
  }

  @Test
  void expiredLinkGets410AndExpiringLinksAreNeverCachedByClients() {
    String code =
        (String)
            shorten(
                    null,
                    fields(
                        "long_url",
                        "https://example.com/soon-gone",
                        "expires_at",
                        CLOCK.peek().plus(Duration.ofHours(1)).toString()))
                .json()
                .get("short_code");

    Http.Response before = http.get("/" + code);
    CLOCK.advance(Duration.ofHours(2));
    Http.Response after = http.get("/" + code);
    Http.Response afterHead = http.head("/" + code);

    assertThat(before.status()).isEqualTo(301);
    assertThat(before.header("Cache-Control")).contains("no-store");
    assertThat(after.status()).isEqualTo(410);
    assertThat(after.json()).containsEntry("type", "https://ferry.dev/problems/link-gone");
    assertThat(afterHead.status()).isEqualTo(410);
  }

  @Test
  void theVisitThatReachesMaxVisitsSucceedsAndTheNextGets410() {
    String code =
        (String)
            shorten(null, fields("long_url", "https://example.com/limited", "max_visits", 3))
                .json()
                .get("short_code");

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      statuses.add(http.get("/" + code).status());
    }

    assertThat(statuses).containsExactly(301, 301, 301, 410, 410);
  }

  @Test
  void headDoesNotUseUpVisits() {
    String code =
        (String)
            shorten(null, fields("long_url", "https://example.com/peek", "max_visits", 1))
                .json()
                .get("short_code");

    assertThat(http.head("/" + code).status()).isEqualTo(301);
    assertThat(http.head("/" + code).status()).isEqualTo(301);
    assertThat(http.get("/" + code).status()).isEqualTo(301);
    assertThat(http.head("/" + code).status()).isEqualTo(410);
  }

  @Test
  void concurrentVisitsNeverExceedMaxVisits() throws Exception {
    String code =
        (String)
            shorten(null, fields("long_url", "https://example.com/race", "max_visits", 5))
                .json()
                .get("short_code");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> visits = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        visits.add(() -> new Http(port).get("/" + code).status());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> status : pool.invokeAll(visits)) {
        statuses.add(status.get());
      }

      assertThat(statuses).filteredOn(status -> status == 301).hasSize(5);
      assertThat(statuses).filteredOn(status -> status == 410).hasSize(19);
    } finally {
      pool.shutdownNow();
    }
  }
}
