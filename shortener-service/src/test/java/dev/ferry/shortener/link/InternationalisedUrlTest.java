package dev.ferry.shortener.link;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Long URLs with Unicode host names: stored and redirected to with the host in its ASCII (punycode)
 * form and the rest percent-encoded, and held to every rule in that form. The test deployment
 * blocks {@code evil.example} and is itself {@code fry.test}.
 */
class InternationalisedUrlTest extends ShortenerIntegrationTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://bücher.example/straße?q=ü | https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%BC",
        "https://BÜCHER.example:8443/x#teil | https://xn--bcher-kva.example:8443/x#teil",
        "http://日本.jp/ | http://xn--wgv71a.jp/",
        "https://日本。jp/ | https://xn--wgv71a.jp/",
        "https://bücher.example | https://xn--bcher-kva.example",
        "https://xn--bcher-kva.example/already | https://xn--bcher-kva.example/already",
        "https://ｅｘａｍｐｌｅ.com/wide | https://example.com/wide"
      })
  void unicodeHostsAreStoredAndRedirectedToInTheirAsciiForm(String longUrl, String stored) {
    Http.Response created = shorten(ALICE_KEY, fields("long_url", longUrl));

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json()).containsEntry("long_url", stored);
    String code = (String) created.json().get("short_code");
    assertThat(http.get("/" + code).header("Location")).contains(stored);
    assertThat(http.get("/api/v1/urls/" + code, "X-API-Key", ALICE_KEY).json())
        .containsEntry("long_url", stored);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://bad_hö.example/",
        "https://-bücher.example/",
        "https://bücher-.example/",
        "https://bü..example/",
        "https://bücher.example:80x/",
        "https://user@bücher.example/",
        "https://ｅｖｉｌ.example/",
        "https://sub.ｅｖｉｌ.example/x",
        "https://ＥＶＩＬ.example./",
        "https://ｆｒｙ.test/abc1234",
        "ftp://bücher.example/file",
        "https://b%C3%BCcher.example/"
      })
  void invalidOrForbiddenUnicodeHostsAreRefusedNamingTheField(String longUrl) {
    assertLongUrlRefused(longUrl);
  }

  @Test
  void anInvalidInternationalisedHostIsNamedInTheProblem() {
    Http.Response response = shorten(null, fields("long_url", "https://-bücher.example/"));

    assertThat(response.json().get("detail").toString())
        .contains("not a valid internationalised domain name");
  }

  @Test
  void theLengthLimitAppliesToTheEncodedUrl() {
    String path = "ü".repeat(400);
    String longUrl = "https://bücher.example/" + path;

    Http.Response response = shorten(null, fields("long_url", longUrl));

    assertThat(longUrl.length()).isLessThan(2048);
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(blamedFields(response)).containsExactly("long_url");
    assertThat(response.json().get("detail").toString()).contains("2048");
  }

  @Test
  void patchAcceptsAUnicodeHostAndStoresItsAsciiForm() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/plain");

    Http.Response patched = patchLongUrl(code, "https://bücher.example/straße");

    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json())
        .containsEntry("long_url", "https://xn--bcher-kva.example/stra%C3%9Fe");
    assertThat(http.get("/" + code).header("Location"))
        .contains("https://xn--bcher-kva.example/stra%C3%9Fe");
  }

  @Test
  void patchWithAnInvalidOrBlockedUnicodeHostChangesNothing() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/kept");

    for (String refused : List.of("https://-bücher.example/", "https://ｅｖｉｌ.example/")) {
      Http.Response patched = patchLongUrl(code, refused);
      assertThat(patched.status()).as(patched.body()).isEqualTo(400);
      assertThat(blamedFields(patched)).containsExactly("long_url");
    }
    assertThat(http.get("/" + code).header("Location")).contains("https://example.com/kept");
  }

  @Test
  void batchItemsWithUnicodeHostsAreNormalisedOrRefusedOneByOne() {
    List<Object> items =
        List.of(
            Map.of("long_url", "https://bücher.example/eins"),
            Map.of("long_url", "https://-bücher.example/zwei"),
            Map.of("long_url", "https://ｅｖｉｌ.example/drei"));

    Http.Response response =
        http.post(
            "/api/v1/shorten/batch", Http.toJson(Map.of("links", items)), "X-API-Key", ALICE_KEY);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json()).containsEntry("created", 1).containsEntry("failed", 2);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> results = (List<Map<String, Object>>) response.json().get("results");
    assertThat(results).extracting(result -> result.get("status")).containsExactly(201, 400, 400);
    @SuppressWarnings("unchecked")
    Map<String, Object> link = (Map<String, Object>) results.get(0).get("link");
    assertThat(link).containsEntry("long_url", "https://xn--bcher-kva.example/eins");
    for (Map<String, Object> refused : results.subList(1, 3)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> problem = (Map<String, Object>) refused.get("problem");
      assertThat(problem).containsEntry("field", "long_url");
    }
  }

  private Http.Response patchLongUrl(String code, String longUrl) {
    return http.patch(
        "/api/v1/urls/" + code, Http.toJson(Map.of("long_url", longUrl)), "X-API-Key", ALICE_KEY);
  }
}
