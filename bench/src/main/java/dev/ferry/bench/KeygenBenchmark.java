package dev.ferry.bench;

import dev.ferry.bench.naive.NaiveKeygenApplication;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Codes per second served over HTTP in batches of 1000 by keygen-service and by the naive design
 * (one Postgres {@code nextval} per code), side by side on one embedded Postgres in one run.
 *
 * <p>Run with {@code bench/keygen.sh [seconds] [connections]}; it prints a Markdown table.
 */
public final class KeygenBenchmark {

  private static final int BATCH = 1000;
  private static final String KEY = "8f14e45fceea167a5a36dedd4bea2543";

  private KeygenBenchmark() {}

  public static void main(String[] args) throws Exception {
    Duration duration = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 20);
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Path root = Path.of("").toAbsolutePath();
    Path jar = root.resolve("keygen-service/target/keygen-service.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing; run bench/keygen.sh from the repo root");
    }
    // Resources close in reverse: the services stop before the database they use.
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        ChildProcesses processes = new ChildProcesses()) {
      String ferryDb = postgres.jdbcUrl(postgres.createDatabase("bench_keygen"));
      String naiveDb = postgres.jdbcUrl(postgres.createDatabase("bench_naive"));
      int ferryPort = FreePorts.find();
      int naivePort = FreePorts.find();
      Path logs = Files.createTempDirectory("bench-keygen");
      processes.add(
          Services.launch(
              logs,
              jar,
              ferryPort,
              "--spring.datasource.url=" + ferryDb,
              "--spring.datasource.username=postgres",
              "--ferry.keygen.secret-key=" + KEY,
              "--ferry.keygen.range.size=1000000",
              "--ferry.keygen.buffer.capacity=1000000",
              "--ferry.keygen.buffer.low-watermark=500000",
              "--ferry.keygen.buffer.chunk=20000"));
      processes.add(
          Services.launch(
              logs,
              List.of(
                  "-cp",
                  System.getProperty("java.class.path"),
                  NaiveKeygenApplication.class.getName()),
              naivePort,
              "--spring.datasource.url=" + naiveDb,
              "--spring.datasource.username=postgres",
              "--spring.datasource.hikari.maximum-pool-size=" + connections));
      Services.awaitReady(ferryPort);
      Services.awaitReady(naivePort);

      String ferryUrl = "http://127.0.0.1:" + ferryPort + "/api/v1/keys?count=" + BATCH;
      String naiveUrl = "http://127.0.0.1:" + naivePort + "/api/v1/keys?count=" + BATCH;
      Duration warmUp = Duration.ofSeconds(Math.max(5, duration.toSeconds() / 2));
      Wrk.post(ferryUrl, 2, connections, warmUp);
      Wrk.Result ferry = Wrk.post(ferryUrl, 2, connections, duration);
      Wrk.post(naiveUrl, 2, connections, warmUp);
      Wrk.Result naive = Wrk.post(naiveUrl, 2, connections, duration);

      double ferryCodes = ferry.requestsPerSecond() * BATCH;
      double naiveCodes = naive.requestsPerSecond() * BATCH;
      System.out.printf(
          Locale.ROOT,
          "%nkeygen benchmark: POST /api/v1/keys?count=%d, %d connections, %d s each, %d cores%n%n",
          BATCH,
          connections,
          duration.toSeconds(),
          Runtime.getRuntime().availableProcessors());
      System.out.println("| design | codes/s | requests/s | p99 latency (ms) |");
      System.out.println("|---|---:|---:|---:|");
      row("keygen-service (FF1 + range claims + buffer)", ferryCodes, ferry);
      row("naive (one nextval per code)", naiveCodes, naive);
      System.out.printf(Locale.ROOT, "%nratio: %.1fx%n", ferryCodes / naiveCodes);
    }
  }

  private static void row(String design, double codes, Wrk.Result result) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %,.0f | %,.0f | %.1f |%n",
        design,
        codes,
        result.requestsPerSecond(),
        result.p99Millis());
  }
}
