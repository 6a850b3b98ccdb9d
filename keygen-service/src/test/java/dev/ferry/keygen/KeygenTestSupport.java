package dev.ferry.keygen;

import dev.ferry.testkit.EmbeddedPostgresServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Named fixtures for keygen tests: databases, keys, and whole keygen instances. */
public final class KeygenTestSupport {

  /** An FF1 key used only by tests. */
  public static final String TEST_KEY = "2b7e151628aed2a6abf7158809cf4f3c";

  private KeygenTestSupport() {}

  /** A fresh database on the shared embedded Postgres; returns its JDBC URL. */
  public static String freshDatabase(String prefix) {
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.shared();
    return postgres.jdbcUrl(postgres.createDatabase(prefix));
  }

  /**
   * Starts a whole keygen-service on a random port against {@code jdbcUrl}, with {@code extra}
   * properties ({@code name=value}) on top; they are passed as command-line arguments so that they
   * win over {@code application.yml}.
   */
  public static ConfigurableApplicationContext startInstance(String jdbcUrl, String... extra) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.put("spring.datasource.url", jdbcUrl);
    properties.put("ferry.keygen.secret-key", TEST_KEY);
    for (String property : extra) {
      String[] nameAndValue = property.split("=", 2);
      properties.put(nameAndValue[0], nameAndValue[1]);
    }
    return new SpringApplicationBuilder(KeygenApplication.class)
        .run(
            properties.entrySet().stream()
                .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new));
  }

  /** The base URL of an instance started by {@link #startInstance}. */
  public static String baseUrl(ConfigurableApplicationContext context) {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return "http://localhost:" + port;
  }
}
