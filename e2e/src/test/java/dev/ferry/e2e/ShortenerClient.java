package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** shortener-service's public HTTP API, at one base URL (an instance or a load balancer). */
final class ShortenerClient {

  /**
   * The local profile's public development key (a premium tier, so rate limits stay out of the
   * way).
   */
  static final String API_KEY = "local-dev-key-0123456789";

  private static final Pattern DROPPED =
      Pattern.compile("^ferry_shortener_clicks_dropped_total\\{[^}]*} (\\S+)$", Pattern.MULTILINE);

  private final Http http;
  private final String baseUrl;

  ShortenerClient(Http http, String baseUrl) {
    this.http = http;
    this.baseUrl = baseUrl;
  }

  ShortenerClient(Http http, int port) {
    this(http, "http://localhost:" + port);
  }

  HttpResponse<String> tryShorten(String longUrl) {
    return http.send(
        "POST",
        baseUrl + "/api/v1/shorten",
        Map.of("X-API-Key", API_KEY),
        Map.of("long_url", longUrl));
  }

  /** Shortens {@code longUrl} and returns the new code, failing the test unless it got a 201. */
  String shorten(String longUrl) {
    HttpResponse<String> created = tryShorten(longUrl);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Http.json(created).get("short_code").asString();
  }

  /** A browser's visit of the short link: a GET from {@code userAgent}, in {@code country}. */
  HttpResponse<String> visit(String code, String userAgent, String country) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", userAgent);
    // The country header a trusted edge (Cloudflare) sets; the stack keeps the default name.
    headers.put("CF-IPCountry", country);
    return http.send("GET", baseUrl + "/" + code, headers, null);
  }

  HttpResponse<String> visit(String code) {
    return visit(code, Browsers.CHROME_WINDOWS, "DE");
  }

  HttpResponse<String> changeDestination(String code, String longUrl) {
    return http.send(
        "PATCH",
        baseUrl + "/api/v1/urls/" + code,
        Map.of("X-API-Key", API_KEY),
        Map.of("long_url", longUrl));
  }

  /**
   * Clicks this instance has dropped for any reason (queue full, Kafka refused them, waited past
   * the retry window), from its Prometheus metric {@code ferry_shortener_clicks_dropped_total}.
   */
  long clicksDropped() {
    HttpResponse<String> scrape =
        http.send("GET", baseUrl + "/actuator/prometheus", Map.of(), null);
    assertThat(scrape.statusCode()).isEqualTo(200);
    Matcher dropped = DROPPED.matcher(scrape.body());
    long total = 0;
    while (dropped.find()) {
      total += (long) Double.parseDouble(dropped.group(1));
    }
    return total;
  }

  JsonNode analytics(String code) {
    HttpResponse<String> response =
        http.send("GET", baseUrl + "/api/v1/analytics/" + code, Map.of("X-API-Key", API_KEY), null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Http.json(response);
  }
}
