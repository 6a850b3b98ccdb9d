package dev.ferry.shortener.link;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static dev.ferry.shortener.support.ShortenerInfrastructure.BOB_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkManagementTest extends ShortenerIntegrationTest {

  @Test
  void ownerReadsTheDetailsOfItsLink() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/details");

    Http.Response response = http.get("/api/v1/urls/" + code, "X-API-Key", ALICE_KEY);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json())
        .containsEntry("short_code", code)
        .containsEntry("long_url", "https://example.com/details")
        .containsEntry("visits", 0)
        .containsEntry("redirect_type", 301);
  }

  @Test
  void patchChangesTheDestinationAndTheNextRedirectFollowsIt() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/old");
    assertThat(http.get("/" + code).header("Location")).contains("https://example.com/old");

    Http.Response patched =
        http.patch(
            "/api/v1/urls/" + code,
            Http.toJson(
                Map.of(
                    "long_url",
                    "https://example.com/new",
                    "redirect_type",
                    302,
                    "tags",
                    List.of("moved"))),
            "X-API-Key",
            ALICE_KEY);

    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json())
        .containsEntry("long_url", "https://example.com/new")
        .containsEntry("redirect_type", 302)
        .containsEntry("tags", List.of("moved"));
    Http.Response redirect = http.get("/" + code);
    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.header("Location")).contains("https://example.com/new");
  }

  @Test
  void patchWithAnInvalidUrlChangesNothing() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/keep");

    Http.Response patched =
        http.patch(
            "/api/v1/urls/" + code,
            Http.toJson(Map.of("long_url", "javascript:alert(1)")),
            "X-API-Key",
            ALICE_KEY);

    assertThat(patched.status()).isEqualTo(400);
    assertThat(blamedFields(patched)).containsExactly("long_url");
    assertThat(http.get("/" + code).header("Location")).contains("https://example.com/keep");
  }

  @Test
  void patchWithExplicitNullsRemovesTheExpiryAndTheVisitLimit() {
    String code = limitedLink("https://example.com/limited");
    assertThat(http.get("/" + code).header("Cache-Control")).contains("no-store");

    Http.Response patched =
        http.patch(
            "/api/v1/urls/" + code,
            "{\"expires_at\": null, \"max_visits\": null}",
            "X-API-Key",
            ALICE_KEY);

    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json())
        .containsEntry("expires_at", null)
        .containsEntry("max_visits", null)
        .containsEntry("long_url", "https://example.com/limited");
    Http.Response redirect = http.get("/" + code);
    assertThat(redirect.status()).isEqualTo(301);
    assertThat(redirect.header("Cache-Control")).contains("private, max-age=90");
  }

  @Test
  void patchWithoutTheFieldsKeepsTheExpiryAndTheVisitLimit() {
    String code = limitedLink("https://example.com/kept-limits");
    Map<String, Object> before = http.get("/api/v1/urls/" + code, "X-API-Key", ALICE_KEY).json();

    Http.Response patched =
        http.patch("/api/v1/urls/" + code, "{\"tags\": [\"relabelled\"]}", "X-API-Key", ALICE_KEY);

    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json())
        .containsEntry("tags", List.of("relabelled"))
        .containsEntry("expires_at", before.get("expires_at"))
        .containsEntry("max_visits", 5);
    assertThat(http.get("/" + code).header("Cache-Control")).contains("no-store");
  }

  @Test
  void patchWithAWrongTypeForAClearableFieldGets400NamingIt() {
    String code = limitedLink("https://example.com/typed-limits");

    Http.Response visits =
        http.patch("/api/v1/urls/" + code, "{\"max_visits\": \"many\"}", "X-API-Key", ALICE_KEY);
    Http.Response expiry =
        http.patch("/api/v1/urls/" + code, "{\"expires_at\": 17}", "X-API-Key", ALICE_KEY);

    assertThat(visits.status()).isEqualTo(400);
    assertThat(blamedFields(visits)).containsExactly("max_visits");
    assertThat(expiry.status()).isEqualTo(400);
    assertThat(blamedFields(expiry)).containsExactly("expires_at");
    assertThat(http.get("/api/v1/urls/" + code, "X-API-Key", ALICE_KEY).json())
        .containsEntry("max_visits", 5);
  }

  @Test
  void deleteRemovesTheLinkAndItsRedirectAt404() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/doomed");
    assertThat(http.get("/" + code).status()).isEqualTo(301);

    Http.Response deleted = http.delete("/api/v1/urls/" + code, "X-API-Key", ALICE_KEY);

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(http.get("/" + code).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/urls/" + code, "X-API-Key", ALICE_KEY).status()).isEqualTo(404);
  }

  @Test
  void anotherKeyCannotReadChangeOrDeleteTheLink() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/alices");

    Http.Response read = http.get("/api/v1/urls/" + code, "X-API-Key", BOB_KEY);
    Http.Response patch =
        http.patch(
            "/api/v1/urls/" + code,
            Http.toJson(Map.of("long_url", "https://example.com/bobs")),
            "X-API-Key",
            BOB_KEY);
    Http.Response delete = http.delete("/api/v1/urls/" + code, "X-API-Key", BOB_KEY);

    assertThat(read.status()).isEqualTo(403);
    assertThat(read.json()).containsEntry("type", "https://ferry.dev/problems/not-link-owner");
    assertThat(patch.status()).isEqualTo(403);
    assertThat(delete.status()).isEqualTo(403);
    assertThat(http.get("/" + code).header("Location")).contains("https://example.com/alices");
  }

  @Test
  void managementWithoutAKeyGets401AndAnonymousLinksCannotBeChanged() {
    String anonymous = shortenUrl(null, "https://example.com/anonymous");

    Http.Response noKey = http.get("/api/v1/urls/" + anonymous);
    Http.Response listing = http.get("/api/v1/urls");
    Http.Response withKey = http.delete("/api/v1/urls/" + anonymous, "X-API-Key", ALICE_KEY);

    assertThat(noKey.status()).isEqualTo(401);
    assertThat(noKey.json()).containsEntry("type", "https://ferry.dev/problems/api-key-required");
    assertThat(listing.status()).isEqualTo(401);
    assertThat(withKey.status()).isEqualTo(403);
  }

  @Test
  void listingShowsOnlyTheCallersLinksFilteredByTag() {
    String tag = unique("mine");
    String alices = shortenWithTag(ALICE_KEY, tag);
    shortenWithTag(BOB_KEY, tag);

    Map<String, Object> page = http.get("/api/v1/urls?tag=" + tag, "X-API-Key", ALICE_KEY).json();

    assertThat(page)
        .containsEntry("total_items", 1)
        .containsEntry("page", 0)
        .containsEntry("size", 20);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
    assertThat(items).extracting(item -> item.get("short_code")).containsExactly(alices);
  }

  private String shortenWithTag(String key, String tag) {
    return (String)
        shorten(key, fields("long_url", "https://example.com/tagged", "tags", List.of(tag)))
            .json()
            .get("short_code");
  }

  /** A link of Alice's that expires in a day and may be visited five times. */
  private String limitedLink(String longUrl) {
    Http.Response created =
        shorten(
            ALICE_KEY,
            fields(
                "long_url",
                longUrl,
                "expires_at",
                CLOCK.peek().plus(Duration.ofDays(1)).toString(),
                "max_visits",
                5));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json()).containsEntry("max_visits", 5);
    return (String) created.json().get("short_code");
  }
}
