package dev.ferry.shortener.link;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests a hostile or careless client can send: each gets a 4xx problem and changes nothing. */
class HostileInputTest extends ShortenerIntegrationTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{",
        "not json at all",
        "[]",
        "{\"long_url\": }",
        "{\"long_url\": \"https://example.com\", \"max_visits\": \"many\"}",
        "{\"long_url\": \"https://example.com\", \"expires_at\": \"tomorrow\"}",
        "{\"long_url\": \"https://example.com\", \"tags\": \"not-a-list\"}",
        "{\"long_url\": \"https://example.com\", \"redirect_type\": 3.5e400}",
        "{\"long_url\": [\"https://example.com\"]}",
        "null"
      })
  void malformedOrMistypedBodiesGet400Problems(String body) {
    Http.Response response = http.post("/api/v1/shorten", body);

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.header("Content-Type")).contains("application/problem+json");
    assertThat(response.json()).containsKey("type").containsEntry("status", 400);
  }

  @Test
  void missingLongUrlIsNamedInSnakeCase() {
    Http.Response response = http.post("/api/v1/shorten", "{\"custom_alias\":\"whatever\"}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(blamedFields(response)).containsExactly("long_url");
  }

  @Test
  void bodyLargerThanTheLimitGets413WithoutBeingRead() throws Exception {
    // Only the headers are sent: the 413 must come before any of the announced body, which shows
    // the body is not read. (Sending the body too would race the server's close, which may reset
    // the connection before the client reads the answer.)
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      String head =
          "POST /api/v1/shorten HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "X-API-Key: "
              + ALICE_KEY
              + "\r\nContent-Length: "
              + 5 * 1024 * 1024
              + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();

      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(answer).startsWith("HTTP/1.1 413 ");
      assertThat(answer).contains("https://ferry.dev/problems/body-too-large");
    }
  }

  @Test
  void chunkedBodyRunningOverTheLimitGets413() throws Exception {
    byte[] huge =
        ("{\"long_url\":\"https://example.com/" + "a".repeat(5 * 1024 * 1024) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/shorten"))
            .header("Content-Type", "application/json")
            // A body from a stream has no known length, so the client sends it chunked.
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
            .build();

    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
    assertThat(response.body()).contains("https://ferry.dev/problems/body-too-large");
  }

  @Test
  void wrongContentTypeGets415() {
    Http.Response response =
        http.send("POST", "/api/v1/shorten", null, "Content-Type", "text/plain");

    assertThat(response.status()).isEqualTo(415);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x'; DROP TABLE links; --",
        "1 OR 1=1",
        "<script>alert(1)</script>",
        "$shard.links",
        "%00",
        "ᚠᛇᚻ᛫ᛒᛦᚦ",
        "😀😀😀"
      })
  void injectionAndUnicodeStringsInEveryFieldAreRefusedOrStoredVerbatim(String hostile) {
    Http.Response alias =
        shorten(ALICE_KEY, fields("long_url", "https://example.com/", "custom_alias", hostile));
    Http.Response tag =
        shorten(ALICE_KEY, fields("long_url", "https://example.com/", "tags", List.of(hostile)));
    Http.Response url = shorten(ALICE_KEY, fields("long_url", "https://example.com/" + hostile));
    Http.Response listing =
        http.get(
            "/api/v1/urls?tag=" + URLEncoder.encode(hostile, StandardCharsets.UTF_8),
            "X-API-Key",
            ALICE_KEY);

    assertThat(alias.status()).isEqualTo(400);
    assertThat(tag.status()).isIn(201, 400);
    assertThat(url.status()).isIn(201, 400);
    assertThat(listing.status()).isIn(200, 400);
    if (listing.status() == 200) {
      assertThat(listing.json()).containsEntry("total_items", tag.status() == 201 ? 1 : 0);
    }
  }

  @Test
  void tagsWithQuotesAreRefusedAndUnicodeLetterTagsAreKeptExactly() {
    String tag = "a\"b,c{d}";
    Http.Response response =
        shorten(ALICE_KEY, fields("long_url", "https://example.com/", "tags", List.of(tag)));

    assertThat(response.status()).isEqualTo(400);
    String letters = "Ünïcödé tag " + unique("t");
    Http.Response unicode =
        shorten(ALICE_KEY, fields("long_url", "https://example.com/", "tags", List.of(letters)));
    assertThat(unicode.status()).isEqualTo(201);
    assertThat(unicode.json()).containsEntry("tags", List.of(letters));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1/urls/x'%3B%20DROP%20TABLE%20links%3B--",
        "/api/v1/urls/" + "a",
        "/api/v1/analytics/%27%20OR%201%3D1",
        "/%27%20OR%201%3D1",
        "/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/urls?page=-1",
        "/api/v1/urls?size=100000",
        "/api/v1/urls?page=abc",
        "/api/v1/analytics/abc?from=yesterday"
      })
  void hostilePathsAndParametersGet4xxProblems(String path) {
    Http.Response response = http.get(path, "X-API-Key", ALICE_KEY);

    assertThat(response.status()).as(path + " -> " + response.body()).isBetween(400, 499);
  }

  @Test
  void unknownApiKeyIsRefusedRatherThanTreatedAsAnonymous() {
    Http.Response response =
        http.post(
            "/api/v1/shorten",
            Http.toJson(Map.of("long_url", "https://example.com/")),
            "X-API-Key",
            "not-a-real-key-at-all");

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.json()).containsEntry("type", "https://ferry.dev/problems/invalid-api-key");
  }
}
