package dev.ferry.shortener.link;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static dev.ferry.shortener.support.ShortenerInfrastructure.PUBLIC_BASE_URL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerInfrastructure;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShortenApiTest extends ShortenerIntegrationTest {

  @Test
  void shortenAnswers201WithTheLinkAndItsLocation() {
    Instant expiry = CLOCK.peek().plus(Duration.ofDays(3));

    Http.Response response =
        shorten(
            ALICE_KEY,
            fields(
                "long_url", "https://example.com/a/very/long/path?q=1",
                "expires_at", expiry.toString(),
                "tags", List.of("docs", "launch")));

    assertThat(response.status()).isEqualTo(201);
    Map<String, Object> link = response.json();
    String code = (String) link.get("short_code");
    assertThat(code).matches("[0-9A-Za-z]{7}");
    assertThat(link)
        .containsEntry("short_url", PUBLIC_BASE_URL + "/" + code)
        .containsEntry("long_url", "https://example.com/a/very/long/path?q=1")
        .containsEntry("tags", List.of("docs", "launch"))
        .containsEntry("redirect_type", 301)
        .containsEntry("custom_alias", false)
        .containsKey("created_at");
    assertThat(Instant.parse((String) link.get("expires_at"))).isEqualTo(expiry);
    assertThat(response.header("Location")).contains("/api/v1/urls/" + code);
    assertThat(ShortenerInfrastructure.keygen().hasIssued(code)).isTrue();
  }

  @Test
  void customAliasBecomesTheCodeAndASecondRequestForItGets409() {
    String alias = unique("Launch_2026");

    Http.Response first =
        shorten(null, fields("long_url", "https://example.com/1", "custom_alias", alias));
    Http.Response second =
        shorten(null, fields("long_url", "https://example.com/2", "custom_alias", alias));

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json()).containsEntry("short_code", alias).containsEntry("custom_alias", true);
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json())
        .containsEntry("type", "https://ferry.dev/problems/alias-taken")
        .containsEntry("status", 409);
    assertThat(blamedFields(second)).containsExactly("custom_alias");
    assertThat(http.get("/" + alias).header("Location")).contains("https://example.com/1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ab", "has space", "dot.ted", "slash/ed", "ünïcode", "api", "ACTUATOR", "Health"})
  void aliasesThatBreakTheRulesOrAreReservedAreRefusedAndNothingIsCreated(String alias) {
    Http.Response response =
        shorten(null, fields("long_url", "https://example.com/x", "custom_alias", alias));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json()).containsEntry("type", "https://ferry.dev/problems/invalid-field");
    assertThat(blamedFields(response)).containsExactly("custom_alias");
  }

  @Test
  void aliasLongerThan32CharactersIsRefused() {
    Http.Response response =
        shorten(null, fields("long_url", "https://example.com/x", "custom_alias", "a".repeat(33)));

    assertThat(response.status()).isEqualTo(400);
    assertThat(blamedFields(response)).containsExactly("custom_alias");
  }

  @Test
  void generatedCodeThatMeetsAnExistingAliasIsSkippedNotOverwritten() {
    String alias = "Zz" + unique("x").replaceAll("[^A-Za-z0-9]", "").substring(0, 5);
    assertThat(
            shorten(
                    null,
                    fields("long_url", "https://example.com/alias-owner", "custom_alias", alias))
                .status())
        .isEqualTo(201);
    ShortenerInfrastructure.keygen().handOutNext(alias);

    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 30 && !ShortenerInfrastructure.keygen().hasIssued(alias); i++) {
      codes.add(shortenUrl(null, "https://example.com/generated/" + i));
    }
    for (int i = 0; i < 5; i++) {
      codes.add(shortenUrl(null, "https://example.com/generated/after/" + i));
    }

    assertThat(ShortenerInfrastructure.keygen().hasIssued(alias)).isTrue();
    assertThat(codes).doesNotContain(alias).doesNotHaveDuplicates();
    assertThat(http.get("/" + alias).header("Location"))
        .contains("https://example.com/alias-owner");
  }

  @Test
  void redirectTypeIsStoredPerLinkAndUnknownTypesAreRefused() {
    Http.Response temporary =
        shorten(null, fields("long_url", "https://example.com/t", "redirect_type", 307));
    Http.Response invalid =
        shorten(null, fields("long_url", "https://example.com/t", "redirect_type", 303));

    assertThat(temporary.json()).containsEntry("redirect_type", 307);
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(blamedFields(invalid)).containsExactly("redirect_type");
  }

  @Test
  void expiryInThePastAndNonPositiveMaxVisitsAreRefused() {
    Http.Response past =
        shorten(
            null,
            fields(
                "long_url",
                "https://example.com/p",
                "expires_at",
                CLOCK.peek().minusSeconds(60).toString()));
    Http.Response zeroVisits =
        shorten(null, fields("long_url", "https://example.com/p", "max_visits", 0));

    assertThat(past.status()).isEqualTo(400);
    assertThat(blamedFields(past)).containsExactly("expires_at");
    assertThat(zeroVisits.status()).isEqualTo(400);
    assertThat(blamedFields(zeroVisits)).containsExactly("max_visits");
  }

  @Test
  void batchCreatesEachValidItemAndReportsEachBadOneInOrder() {
    String alias = unique("batch");
    List<Object> items =
        List.of(
            Map.of("long_url", "https://example.com/b/0"),
            Map.of("long_url", "javascript:alert(1)"),
            Map.of("long_url", "https://example.com/b/2", "custom_alias", alias),
            Map.of("long_url", "https://example.com/b/3", "custom_alias", alias),
            Map.of("custom_alias", "no-url-here"));

    Http.Response response =
        http.post(
            "/api/v1/shorten/batch", Http.toJson(Map.of("links", items)), "X-API-Key", ALICE_KEY);

    assertThat(response.status()).isEqualTo(200);
    Map<String, Object> body = response.json();
    assertThat(body).containsEntry("created", 2).containsEntry("failed", 3);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> results = (List<Map<String, Object>>) body.get("results");
    assertThat(results)
        .extracting(result -> result.get("status"))
        .containsExactly(201, 400, 201, 409, 400);
    assertThat(results).extracting(result -> result.get("index")).containsExactly(0, 1, 2, 3, 4);
    assertThat(problemField(results.get(1))).isEqualTo("long_url");
    assertThat(problemField(results.get(3))).isEqualTo("custom_alias");
    assertThat(problemField(results.get(4))).isEqualTo("long_url");
    @SuppressWarnings("unchecked")
    Map<String, Object> created = (Map<String, Object>) results.get(2).get("link");
    assertThat(created).containsEntry("short_code", alias);
  }

  @Test
  void batchOfAThousandLinksIsCreatedInOneCall() {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      items.add(Map.of("long_url", "https://example.com/bulk/" + i));
    }

    Http.Response response =
        http.post(
            "/api/v1/shorten/batch", Http.toJson(Map.of("links", items)), "X-API-Key", ALICE_KEY);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json()).containsEntry("created", 1000).containsEntry("failed", 0);
  }

  @Test
  void batchOfMoreThanAThousandLinksIsRefusedWhole() {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      items.add(Map.of("long_url", "https://example.com/too-many/" + i));
    }

    Http.Response response =
        http.post(
            "/api/v1/shorten/batch", Http.toJson(Map.of("links", items)), "X-API-Key", ALICE_KEY);

    assertThat(response.status()).isEqualTo(400);
    assertThat(blamedFields(response)).containsExactly("links");
  }

  @Test
  void emptyBatchIsRefused() {
    Http.Response response = http.post("/api/v1/shorten/batch", "{\"links\":[]}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(blamedFields(response)).containsExactly("links");
  }

  @SuppressWarnings("unchecked")
  private static String problemField(Map<String, Object> result) {
    return (String) ((Map<String, Object>) result.get("problem")).get("field");
  }
}
