package dev.ferry.shortener.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for tests that sees exactly what a user's client sees: it never follows
 * redirects, sends bodies byte for byte (malformed JSON included), and exposes status, headers and
 * body.
 */
public final class Http {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String baseUrl;
  private final HttpClient client =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public Http(int port) {
    this.baseUrl = "http://127.0.0.1:" + port;
  }

  /** A response as the client saw it. */
  public record Response(int status, Map<String, List<String>> headers, byte[] bytes) {

    public String body() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    public Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .flatMap(entry -> entry.getValue().stream())
          .findFirst();
    }

    /** The body as a JSON object. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> json() {
      return JSON.readValue(bytes, Map.class);
    }
  }

  public Response get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  public Response head(String path, String... headers) {
    return send("HEAD", path, null, headers);
  }

  public Response delete(String path, String... headers) {
    return send("DELETE", path, null, headers);
  }

  public Response post(String path, String json, String... headers) {
    return send("POST", path, json, headers);
  }

  public Response patch(String path, String json, String... headers) {
    return send("PATCH", path, json, headers);
  }

  /** {@code headers} are name, value pairs. */
  public Response send(String method, String path, String json, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    List<String> all = new ArrayList<>(List.of(headers));
    if (json != null) {
      all.add("Content-Type");
      all.add("application/json");
    }
    for (int i = 0; i < all.size(); i += 2) {
      request.header(all.get(i), all.get(i + 1));
    }
    request.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    try {
      HttpResponse<byte[]> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Shortens {@code longUrl} as the caller of {@code apiKey} and returns the new short code; any
   * answer but 201 fails the calling test.
   */
  public String shortCodeFor(String longUrl, String apiKey) {
    Response response =
        post("/api/v1/shorten", toJson(Map.of("long_url", longUrl)), "X-API-Key", apiKey);
    if (response.status() != 201) {
      throw new AssertionError("shorten answered " + response.status() + ": " + response.body());
    }
    return (String) response.json().get("short_code");
  }

  /** A JSON string literal of {@code value}, escaped. */
  public static String quote(String value) {
    return JSON.writeValueAsString(value);
  }

  /** {@code value} as JSON. */
  public static String toJson(Object value) {
    return JSON.writeValueAsString(value);
  }
}
