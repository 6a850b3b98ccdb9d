package dev.ferry.bench.shortener;

import dev.ferry.bench.ChildProcesses;
import dev.ferry.bench.Services;
import dev.ferry.bench.Wrk;
import dev.ferry.testkit.EmbeddedKafkaServer;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.EmbeddedRedisServer;
import dev.ferry.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redirect and shorten throughput of shortener-service beside nginx's {@code return 301}, in one
 * run with the same wrk settings for every row (issue 3, section 7):
 *
 * <ol type="a">
 *   <li>nginx answering 301 from its config: what this machine can do at all;
 *   <li>{@code GET /{code}} answered from L1 (Caffeine);
 *   <li>{@code GET /{code}} answered from L2 (Redis), on an instance with L1 disabled;
 *   <li>{@code POST /api/v1/shorten}.
 * </ol>
 *
 * <p>Everything runs as in production, as separate processes: embedded Postgres, Redis and Kafka,
 * keygen-service and two shortener-service instances from their packaged jars. 5,000 links (half of
 * L1's default capacity, so that size eviction never drops one) are made through the batch API and
 * each is visited once on both instances before any measurement; redirects then pick one at random
 * per request, so every lookup is a hit of the level measured, which the run checks from the
 * instance's own lookup counters and prints under the table. nginx gets the same requests from the
 * same wrk script, so that wrk's own cost per request is the same in every row. Run with {@code
 * bench/shortener.sh [connections] [seconds] [cases]}; cases (default {@code abcd}) picks rows,
 * e.g. {@code ab} while iterating on the L1 path; the targets are judged only when all of a, b and
 * c ran.
 */
public final class ShortenerBenchmark {

  private static final int LINKS = 5_000;
  private static final int BATCH = 1_000;

  /**
   * Before each row. Long enough for the JIT to finish with the row's path: after 5 s the C2
   * compiler was still 16 % of the serving JVM's CPU samples during the measured (b) run, which
   * then reached 21,200 req/s against 30,100 after a 30 s warm-up.
   */
  private static final Duration WARM_UP = Duration.ofSeconds(30);

  private static final String API_KEY = "bench-key-0123456789abcdef";
  private static final String KEYGEN_SECRET = "8f14e45fceea167a5a36dedd4bea2543";
  private static final Pattern LOOKUPS =
      Pattern.compile(
          "ferry_shortener_cache_lookups_total\\{level=\"(\\w+)\",result=\"(\\w+)\"} ([0-9.E]+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern SHORT_CODE = Pattern.compile("\"short_code\":\"([^\"]+)\"");

  private ShortenerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    Duration duration = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 15);
    String cases = args.length > 2 ? args[2] : "abcd";
    if (connections < 32 || duration.toSeconds() < 15) {
      throw new IllegalArgumentException("the issue's settings: at least 32 connections, 15 s");
    }
    Path root = Path.of("").toAbsolutePath();
    Path keygenJar = requireJar(root.resolve("keygen-service/target/keygen-service.jar"));
    Path shortenerJar = requireJar(root.resolve("shortener-service/target/shortener-service.jar"));
    Path work = Files.createTempDirectory("shortener-bench");
    // Resources close in reverse: services and nginx stop before the infrastructure they use.
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        EmbeddedRedisServer redis = EmbeddedRedisServer.start();
        EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(FreePorts.find(), 4);
        ChildProcesses processes = new ChildProcesses()) {
      int keygenPort = FreePorts.find();
      processes.add(
          Services.launch(
              work,
              keygenJar,
              keygenPort,
              "--spring.datasource.url=" + postgres.jdbcUrl(postgres.createDatabase("keygen")),
              "--spring.datasource.username=" + postgres.username(),
              "--spring.datasource.password=" + postgres.password(),
              "--ferry.keygen.secret-key=" + KEYGEN_SECRET));
      Services.awaitReady(keygenPort);

      String shortenerDb = postgres.jdbcUrl(postgres.createDatabase("shortener"));
      int l1Port = FreePorts.find();
      int l2Port = FreePorts.find();
      for (int port : List.of(l1Port, l2Port)) {
        processes.add(
            Services.launch(
                work,
                shortenerJar,
                port,
                "--ferry.shortener.sharding.databases.main.url=" + shortenerDb,
                "--ferry.shortener.sharding.databases.main.username=" + postgres.username(),
                "--ferry.shortener.sharding.databases.main.password=" + postgres.password(),
                "--ferry.shortener.sharding.databases.main.max-pool-size=16",
                "--spring.data.redis.port=" + redis.port(),
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--ferry.shortener.links.keygen.base-url=http://127.0.0.1:" + keygenPort,
                "--ferry.shortener.links.keygen.batch-size=5000",
                "--ferry.shortener.links.keygen.capacity=20000",
                "--ferry.shortener.links.keygen.low-watermark=10000",
                "--ferry.shortener.rate-limits.enabled=false",
                "--ferry.shortener.api-keys.keys[0].key=" + API_KEY,
                "--ferry.shortener.api-keys.keys[0].owner=bench",
                "--ferry.shortener.api-keys.keys[0].tier=PREMIUM",
                "--ferry.shortener.cache.l1-enabled=" + (port == l1Port)));
      }
      Services.awaitReady(l1Port);
      Services.awaitReady(l2Port);

      Path codes = work.resolve("codes.txt");
      List<String> seeded = seed(l1Port);
      Files.write(codes, seeded);
      visitEach(l1Port, seeded);
      visitEach(l2Port, seeded);
      Path redirectLua = resource(work, "redirect.lua");
      Path shortenLua = resource(work, "shorten.lua");
      int nginxPort = FreePorts.find();
      processes.add(Nginx.start(work, nginxPort));
      Services.awaitListening(nginxPort);

      List<String> codeFile = List.of(codes.toString());
      Wrk.Result nginx =
          cases.contains("a")
              ? measure(nginxPort, redirectLua, codeFile, connections, duration)
              : null;
      List<String> lookups = new ArrayList<>();
      Wrk.Result l1 =
          cases.contains("b")
              ? measureLookups("(b)", l1Port, redirectLua, codeFile, connections, duration, lookups)
              : null;
      Wrk.Result l2 =
          cases.contains("c")
              ? measureLookups("(c)", l2Port, redirectLua, codeFile, connections, duration, lookups)
              : null;
      Wrk.Result shorten =
          cases.contains("d")
              ? measure(l1Port, shortenLua, List.of(), connections, duration)
              : null;
      String load = Files.readString(Path.of("/proc/loadavg")).trim();

      System.out.printf(
          Locale.ROOT,
          "%nshortener benchmark: wrk -t1 -c%d -d%ds after a %ds warm-up; %d cores;"
              + " load average after the runs: %s%n%n",
          connections,
          duration.toSeconds(),
          WARM_UP.toSeconds(),
          Runtime.getRuntime().availableProcessors(),
          load);
      System.out.println("| case | requests/s | p50 (ms) | p99 (ms) | vs nginx | errors |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      row("(a) nginx `return 301`", nginx, nginx);
      row("(b) redirect, L1 hit", l1, nginx);
      row("(c) redirect, L2 hit (L1 off)", l2, nginx);
      row("(d) shorten", shorten, null);
      System.out.println();
      lookups.forEach(System.out::println);
      if (nginx != null && l1 != null && l2 != null) {
        System.out.printf(
            Locale.ROOT,
            "%ntargets: (b) >= 0.40x with p99 < 5 ms: %s; (c) >= 0.25x: %s%n",
            l1.requestsPerSecond() >= 0.4 * nginx.requestsPerSecond() && l1.p99Millis() < 5
                ? "met"
                : "MISSED",
            l2.requestsPerSecond() >= 0.25 * nginx.requestsPerSecond() ? "met" : "MISSED");
      }
    }
  }

  private static Wrk.Result measure(
      int port, Path script, List<String> scriptArguments, int connections, Duration duration)
      throws IOException, InterruptedException {
    return Wrk.measure(
        "http://127.0.0.1:" + port, script, scriptArguments, 1, connections, WARM_UP, duration);
  }

  /**
   * Measures redirects and reports which cache level answered them, from the instance's counters.
   */
  private static Wrk.Result measureLookups(
      String name,
      int port,
      Path script,
      List<String> scriptArguments,
      int connections,
      Duration duration,
      List<String> report)
      throws IOException, InterruptedException {
    Map<String, Double> before = lookupCounts(port);
    Wrk.Result result = measure(port, script, scriptArguments, connections, duration);
    Map<String, Double> after = lookupCounts(port);
    StringBuilder line = new StringBuilder(name + " lookups during warm-up and run:");
    after.forEach(
        (key, count) ->
            line.append(
                String.format(
                    Locale.ROOT, " %s %,.0f", key, count - before.getOrDefault(key, 0.0))));
    report.add(line.toString());
    return result;
  }

  /** The instance's redirect lookups by level and result, e.g. {@code l1/hit -> 1234}. */
  private static Map<String, Double> lookupCounts(int port)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Double> counts = new TreeMap<>();
    Matcher line = LOOKUPS.matcher(response.body());
    while (line.find()) {
      counts.put(line.group(1) + "/" + line.group(2), Double.parseDouble(line.group(3)));
    }
    return counts;
  }

  /**
   * Visits every code once, so that the measured runs find each in the level they measure (L1 on
   * one instance, L2 on the other). Fails on any answer other than the link's 301.
   */
  private static void visitEach(int port, List<String> codes) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> answers = new ArrayList<>(codes.size());
      for (String code : codes) {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + code)).build();
        answers.add(
            pool.submit(
                () -> HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()));
      }
      for (Future<Integer> answer : answers) {
        int status = answer.get();
        if (status != 301) {
          throw new IllegalStateException("warming the cache got HTTP " + status);
        }
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("warming the cache failed", e.getCause());
    } finally {
      pool.shutdown();
    }
  }

  private static void row(String name, Wrk.Result result, Wrk.Result reference) {
    if (result == null) {
      return;
    }
    String ratio =
        reference == null
            ? "-"
            : String.format(
                Locale.ROOT, "%.2fx", result.requestsPerSecond() / reference.requestsPerSecond());
    System.out.printf(
        Locale.ROOT,
        "| %s | %,.0f | %.2f | %.2f | %s | %d |%n",
        name,
        result.requestsPerSecond(),
        result.p50Millis(),
        result.p99Millis(),
        ratio,
        result.errors());
  }

  /** Makes {@link #LINKS} links through the batch API and returns their codes. */
  private static List<String> seed(int port) throws IOException, InterruptedException {
    List<String> codes = new ArrayList<>(LINKS);
    for (int first = 0; first < LINKS; first += BATCH) {
      StringBuilder body = new StringBuilder("{\"links\":[");
      for (int i = first; i < first + BATCH; i++) {
        body.append(i == first ? "" : ",")
            .append("{\"long_url\":\"https://example.com/bench/")
            .append(i)
            .append("\"}");
      }
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/shorten/batch"))
              .header("Content-Type", "application/json")
              .header("X-API-Key", API_KEY)
              .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
              .build();
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("seeding failed: " + response.body());
      }
      Matcher code = SHORT_CODE.matcher(response.body());
      while (code.find()) {
        codes.add(code.group(1));
      }
    }
    if (codes.size() != LINKS) {
      throw new IllegalStateException("seeded " + codes.size() + " links, not " + LINKS);
    }
    return codes;
  }

  private static Path resource(Path work, String name) throws IOException {
    Path target = work.resolve(name);
    try (InputStream in = ShortenerBenchmark.class.getResourceAsStream("/shortener/" + name)) {
      if (in == null) {
        throw new IllegalStateException("/shortener/" + name + " is not on the class path");
      }
      Files.writeString(target, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    return target;
  }

  private static Path requireJar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing; run bench/shortener.sh from the repo root");
    }
    return jar;
  }
}
