package dev.ferry.shortener.bench;

import dev.ferry.shortener.ShortenerApplication;
import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerInfrastructure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts what {@code bench/redirect-bench.sh} measures: the test infrastructure (two embedded
 * Postgres, Redis, Kafka, fake keygen) and two shortener instances on fixed ports, one with L1
 * enabled and one with L1 disabled (every redirect an L2 hit), then seeds links and writes their
 * codes to a file for wrk. Runs until killed. Not a test: started by the script through {@code
 * exec:java} on the test class path.
 *
 * <p>Arguments: L1 port, L2-only port, number of links, codes file.
 */
public final class BenchStack {

  private BenchStack() {}

  public static void main(String[] args) throws IOException {
    int l1Port = Integer.parseInt(args[0]);
    int l2Port = Integer.parseInt(args[1]);
    int links = Integer.parseInt(args[2]);
    Path codesFile = Path.of(args[3]);

    Map<String, String> properties = ShortenerInfrastructure.properties("bench");
    properties.put("ferry.shortener.rate-limits.enabled", "false");
    properties.put("ferry.shortener.links.keygen.batch-size", "5000");
    properties.put("ferry.shortener.links.keygen.capacity", "20000");
    properties.put("ferry.shortener.links.keygen.low-watermark", "10000");
    properties.put("ferry.shortener.sharding.databases.main.max-pool-size", "16");
    properties.put("ferry.shortener.sharding.databases.second.max-pool-size", "16");
    properties.put("logging.level.root", "WARN");
    ConfigurableApplicationContext withL1 = start(properties, l1Port, true);
    ConfigurableApplicationContext l2Only = start(properties, l2Port, false);

    Http http = new Http(l1Port);
    List<String> codes = new ArrayList<>(links);
    for (int i = 0; i < links; i += 1000) {
      List<Object> batch = new ArrayList<>();
      for (int j = i; j < Math.min(links, i + 1000); j++) {
        batch.add(Map.of("long_url", "https://example.com/bench/" + j));
      }
      Map<String, Object> response =
          http.post(
                  "/api/v1/shorten/batch",
                  Http.toJson(Map.of("links", batch)),
                  "X-API-Key",
                  ShortenerInfrastructure.PAULA_KEY)
              .json();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> results = (List<Map<String, Object>>) response.get("results");
      for (Map<String, Object> result : results) {
        @SuppressWarnings("unchecked")
        Map<String, Object> link = (Map<String, Object>) result.get("link");
        codes.add((String) link.get("short_code"));
      }
    }
    Files.write(codesFile, codes);
    System.out.println("BENCH-READY " + codes.size() + " links; codes in " + codesFile);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  withL1.close();
                  l2Only.close();
                }));
  }

  private static ConfigurableApplicationContext start(
      Map<String, String> properties, int port, boolean l1) {
    List<String> args = new ArrayList<>();
    properties.forEach((name, value) -> args.add("--" + name + "=" + value));
    args.add("--server.port=" + port);
    args.add("--ferry.shortener.cache.l1-enabled=" + l1);
    return new SpringApplicationBuilder(ShortenerApplication.class)
        .run(args.toArray(String[]::new));
  }
}
