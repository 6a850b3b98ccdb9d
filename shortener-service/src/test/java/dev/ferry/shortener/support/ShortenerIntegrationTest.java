package dev.ferry.shortener.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.shortener.ShortenerApplication;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * Base of the integration tests that share one running shortener: two physical Postgres shards
 * databases, Redis, Kafka and a fake keygen-service, all real processes except keygen. Tests keep
 * apart by using fresh aliases, tags and codes rather than fresh databases.
 */
@SpringBootTest(
    classes = ShortenerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ShortenerIntegrationTest {

  protected static final TestClock CLOCK = new TestClock(Instant.now());
  private static final Map<String, String> PROPERTIES = ShortenerInfrastructure.properties("it");
  private static final AtomicInteger UNIQUE = new AtomicInteger();

  @TestBean Clock clock;

  @LocalServerPort protected int port;

  protected Http http;

  static Clock clock() {
    return CLOCK;
  }

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    PROPERTIES.forEach((name, value) -> registry.add(name, () -> value));
  }

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  /** The JDBC URL of physical database {@code name} ("main" or "second"). */
  protected static String jdbcUrl(String name) {
    return PROPERTIES.get("ferry.shortener.sharding.databases." + name + ".url");
  }

  /** The properties of this deployment, for starting a second instance on the same data. */
  protected static Map<String, String> deploymentProperties() {
    return PROPERTIES;
  }

  /** A name no other test in this JVM uses, for aliases and tags. */
  protected static String unique(String prefix) {
    return prefix + "-" + UNIQUE.incrementAndGet() + "-" + System.nanoTime() % 100_000;
  }

  /** Creates a link with {@code fields} (JSON values already encoded) and returns its response. */
  protected Http.Response shorten(String apiKey, Map<String, Object> fields) {
    String body = Http.toJson(fields);
    return apiKey == null
        ? http.post("/api/v1/shorten", body)
        : http.post("/api/v1/shorten", body, "X-API-Key", apiKey);
  }

  /** Creates a link to {@code longUrl} for {@code apiKey} (null: anonymous); returns its code. */
  protected String shortenUrl(String apiKey, String longUrl) {
    Http.Response response = shorten(apiKey, Map.of("long_url", longUrl));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return (String) response.json().get("short_code");
  }

  /**
   * Asserts that an anonymous shorten of {@code longUrl} under a fresh alias is refused with a 400
   * problem blaming {@code long_url} alone, and that the alias leads nowhere afterwards.
   */
  protected void assertLongUrlRefused(String longUrl) {
    String alias = unique("refused");

    Http.Response response = shorten(null, fields("long_url", longUrl, "custom_alias", alias));

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.header("Content-Type")).contains("application/problem+json");
    assertThat(blamedFields(response)).containsExactly("long_url");
    assertThat(http.get("/" + alias).status()).isEqualTo(404);
  }

  protected static Map<String, Object> fields(Object... nameValuePairs) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      fields.put((String) nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return fields;
  }

  /** The names of the fields the problem {@code response} blames. */
  @SuppressWarnings("unchecked")
  protected static List<String> blamedFields(Http.Response response) {
    Object errors = response.json().get("errors");
    return errors == null
        ? List.of()
        : ((List<Map<String, Object>>) errors)
            .stream().map(error -> (String) error.get("name")).toList();
  }
}
