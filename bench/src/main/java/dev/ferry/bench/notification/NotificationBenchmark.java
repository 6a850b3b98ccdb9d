package dev.ferry.bench.notification;

import dev.ferry.bench.Services;
import dev.ferry.bench.Wrk;
import dev.ferry.notification.fakes.FakeFcm;
import dev.ferry.testkit.EmbeddedKafkaServer;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.EmbeddedRedisServer;
import dev.ferry.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * notification-service under load, as one JVM of its own on embedded Postgres, Redis and Kafka,
 * with every push going through the real Firebase Admin SDK to a fake FCM in this JVM that answers
 * at once.
 *
 * <ol>
 *   <li>accepted/s of single {@code POST /api/v1/notifications} (wrk);
 *   <li>accepted/s through {@code POST /api/v1/notifications/batch} with 1000 items (wrk);
 *   <li>end-to-end latency from the 202 to the FCM call for critical and normal at a paced rate,
 *       while low priority keeps flooding in (and the backlog of the first two phases, all low, is
 *       still being delivered).
 * </ol>
 *
 * <p>Before the first phase the service is warmed up with single sends for {@code warm-up} seconds
 * (180 by default) and batches for half as long, so that the phases measure the JIT's steady state:
 * after the old 5 s warm-up the C2 compiler still took a third of the service's CPU in the single
 * phase; after 60 s it still took 10-36 % of a core, and a single accept cost 0.63-1.44 ms of
 * service CPU in four runs; after 180 s it was under 5 % and an accept cost 0.57 ms. Then it waits
 * (up to {@link #DRAIN_LIMIT}) until the warm-up's outbox is relayed ({@link Backlog}) and prints
 * how long that took and how many low deliveries are still open, the background every phase runs
 * with.
 *
 * <p>Run with {@code bench/notification.sh [seconds] [connections] [rate] [warm-up seconds]};
 * prints a Markdown table.
 */
public final class NotificationBenchmark {

  static final int USERS = 2000;
  private static final int BATCH = 1000;
  private static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);

  private NotificationBenchmark() {}

  public static void main(String[] args) throws Exception {
    Duration phase = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 20);
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    Duration warmUp = Duration.ofSeconds(args.length > 3 ? Integer.parseInt(args[3]) : 180);
    Path jar = Path.of("notification-service/target/notification-service.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing; run bench/notification.sh");
    }
    String loadBefore = loadAverage();
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        EmbeddedRedisServer redis = EmbeddedRedisServer.start();
        EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(FreePorts.find(), 4);
        FakeFcm fcm = new FakeFcm()) {
      LatencyProbe probe = new LatencyProbe();
      fcm.onReceive(request -> probe.arrived(request.body()));
      int port = FreePorts.find();
      Process service =
          launch(
              jar,
              port,
              postgres.jdbcUrl(postgres.createDatabase("bench_notification")),
              redis.port(),
              kafka.bootstrapServers(),
              fcm.baseUrl());
      try {
        Services.awaitReady(port, service);
        measure(
            service,
            "http://127.0.0.1:" + port,
            new Phases(warmUp, phase),
            connections,
            rate,
            probe,
            loadBefore);
      } finally {
        service.destroy();
        service.waitFor();
      }
    }
  }

  /** How long the service is warmed up, and how long each measured phase runs. */
  private record Phases(Duration warmUp, Duration phase) {}

  private static void measure(
      Process service,
      String base,
      Phases phases,
      int connections,
      int rate,
      LatencyProbe probe,
      String loadBefore)
      throws IOException, InterruptedException {
    registerDevices(base);

    String single = base + "/api/v1/notifications";
    String batch = base + "/api/v1/notifications/batch";
    Duration phase = phases.phase();
    Wrk.run(single, singleScript(), 2, connections, phases.warmUp());
    Wrk.run(batch, batchScript(), 2, Math.min(connections, 4), phases.warmUp().dividedBy(2));
    Backlog backlog = new Backlog(base);
    long drainStart = System.nanoTime();
    long outboxLeft = backlog.awaitOutboxDrained(DRAIN_LIMIT);
    Duration drained = Duration.ofNanos(System.nanoTime() - drainStart);
    long deliveriesLeft = backlog.deliveries();
    double cpuBefore = cpuSeconds(service);
    Wrk.Result singles = Wrk.run(single, singleScript(), 2, connections, phase);
    double cpuSingles = cpuSeconds(service) - cpuBefore;
    cpuBefore = cpuSeconds(service);
    Wrk.Result batches = Wrk.run(batch, batchScript(), 2, Math.min(connections, 4), phase);
    double cpuBatches = cpuSeconds(service) - cpuBefore;

    LatencyProbe.Result latency = probe.run(base, rate, phase);
    String loadAfter = loadAverage();

    System.out.printf(
        Locale.ROOT,
        "%nnotification benchmark: %d s warm-up, %d s per phase, %d connections, %d cores, load"
            + " average before %s, after %s%n%n",
        phases.warmUp().toSeconds(),
        phase.toSeconds(),
        connections,
        Runtime.getRuntime().availableProcessors(),
        loadBefore,
        loadAfter);
    System.out.println("| measure | result | target |");
    System.out.println("|---|---:|---:|");
    System.out.printf(
        Locale.ROOT,
        "| after the warm-up: wait for its outbox to drain (s); outbox rows left; deliveries still"
            + " open (low) | %d; %,d; %,d | - |%n",
        drained.toSeconds(),
        outboxLeft,
        deliveriesLeft);
    System.out.printf(
        Locale.ROOT,
        "| accepted/s, single POST (p99 %.0f ms) | %,.0f | >= 2,000 |%n",
        singles.p99Millis(),
        singles.requestsPerSecond());
    System.out.printf(
        Locale.ROOT,
        "| accepted/s, batch of %d (p99 %.0f ms) | %,.0f | >= 20,000 |%n",
        BATCH,
        batches.p99Millis(),
        batches.requestsPerSecond() * BATCH);
    // CPU the service's JVM used per notification accepted in the phase (including the deliveries
    // it made meanwhile): a figure that, unlike the rates, hardly depends on what else the machine
    // runs.
    System.out.printf(
        Locale.ROOT,
        "| service CPU per accepted notification, single / batch phase (ms) | %.2f / %.3f | - |%n",
        1000 * cpuSingles / (singles.requestsPerSecond() * phase.toSeconds()),
        1000 * cpuBatches / (batches.requestsPerSecond() * BATCH * phase.toSeconds()));
    System.out.printf(
        Locale.ROOT,
        "| paced accepts/s achieved (critical + normal, target rate %d/s) | %,.0f | %d |%n",
        rate,
        latency.achievedRate(),
        rate);
    // A paced sender is open-loop: when the service cannot take the offered rate, requests queue
    // (the 202 comes late) or fail; both are shown, so a low achieved rate is not mistaken for a
    // slow sender.
    System.out.printf(
        Locale.ROOT,
        "| paced sends made / not accepted (other status, refused, timed out) / still unanswered"
            + " at the end; due -> 202 p99 (ms) | %,d / %,d / %,d; %.0f | - |%n",
        latency.sent(),
        latency.notAccepted(),
        latency.sent()
            - latency.notAccepted()
            - latency.critical().count()
            - latency.normal().count(),
        latency.acceptP99Millis());
    row("critical", latency.critical(), "p99 < 1,000 ms");
    row("normal", latency.normal(), "-");
    System.out.printf(
        Locale.ROOT,
        "| low accepted during the latency phase (flood) | %,d | - |%n",
        latency.floodAccepted());
  }

  private static void row(String priority, LatencyProbe.Percentiles p, String target) {
    System.out.printf(
        Locale.ROOT,
        "| %s accept -> FCM call p50 / p99 (ms), %,d sent, %,d not delivered in time"
            + " (due -> FCM p99) | %.0f / %.0f (%.0f) | %s |%n",
        priority,
        p.count(),
        p.missing(),
        p.p50Millis(),
        p.p99Millis(),
        p.fromSendP99Millis(),
        target);
  }

  /** Each request a low-priority push to the next of {@link #USERS} users. */
  private static String singleScript() {
    return """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        local n = 0
        request = function()
          n = n + 1
          local body = string.format('{"user_id":"bench-u%%d","type":"bench","priority":"low",'
            .. '"channels":["push"],"title":"Bench","body":"Load message %%d"}', n %% %d, n)
          return wrk.format(nil, nil, nil, body)
        end
        """
        .formatted(USERS);
  }

  /** One fixed batch of {@link #BATCH} low-priority pushes to distinct users. */
  private static String batchScript() {
    StringBuilder body = new StringBuilder("{\"notifications\":[");
    for (int i = 0; i < BATCH; i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append(LatencyProbe.item(i % USERS, "low", "Batch message " + i, null));
    }
    body.append("]}");
    return """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.body = '%s'
        """
        .formatted(body);
  }

  private static void registerDevices(String base) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    for (int user = 0; user < USERS; user++) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/api/v1/users/bench-u" + user + "/devices"))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"token\":\"bench-token-" + user + "\",\"platform\":\"android\"}"))
              .build();
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status / 100 != 2) {
        throw new IllegalStateException("device registration answered " + status);
      }
    }
  }

  private static Process launch(
      Path jar, int port, String jdbcUrl, int redisPort, String kafka, String fcmUrl)
      throws IOException {
    Path logs = Files.createTempDirectory("bench-notification");
    System.out.println("notification-service log: " + logs.resolve(port + ".log"));
    return Services.launch(
        logs,
        jar,
        port,
        "--spring.datasource.url=" + jdbcUrl,
        "--spring.datasource.username=postgres",
        "--spring.data.redis.port=" + redisPort,
        "--spring.kafka.bootstrap-servers=" + kafka,
        "--ferry.notification.channels.push.primary=fcm",
        "--ferry.notification.providers.fcm.base-url=" + fcmUrl,
        "--ferry.notification.providers.fcm.access-token=bench",
        // The benchmark's 2,000 users each get thousands of pushes a minute; anti-spam would skip
        // them.
        "--ferry.notification.rate-limit.per-user-channel=100000000");
  }

  /**
   * CPU seconds (user + system) the service's process has used so far, from {@code
   * /proc/<pid>/stat} in clock ticks of 1/100 s (Linux's USER_HZ); NaN where there is no /proc.
   */
  private static double cpuSeconds(Process service) throws IOException {
    Path stat = Path.of("/proc", Long.toString(service.pid()), "stat");
    if (!Files.isReadable(stat)) {
      return Double.NaN;
    }
    String text = Files.readString(stat);
    // Fields after the command name, which is in parentheses and may hold spaces: state is the
    // first, utime the 12th and stime the 13th.
    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  private static String loadAverage() throws IOException {
    Path loadavg = Path.of("/proc/loadavg");
    if (!Files.isReadable(loadavg)) {
      return "n/a";
    }
    String[] fields = Files.readString(loadavg).trim().split("\\s+");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }
}
