package dev.ferry.bench.notification;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends critical and normal pushes (half each) at a fixed rate while a second thread floods low
 * priority batches, and measures, per notification, the time from its 202 to the moment the fake
 * FCM received it. Each paced push carries {@code data.bench_seq}, which the FCM request body
 * repeats, so an arrival is matched to its accept.
 *
 * <p>The paced sends share at most {@link #MAX_IN_FLIGHT} connections, as a client's connection
 * pool would: the JDK's HTTP/1.1 client opens a new connection for every send while earlier ones
 * are unanswered, so once the service fell behind at 1000/s it opened thousands, Tomcat's accept
 * backlog (100) overflowed and the dropped SYNs were retried by the kernel after 1, 3, 7 s: seconds
 * of latency that said more about the sender than the service. A send due while every connection is
 * busy waits for one; the time from its due time to its 202 shows that wait, so the sender stays
 * open-loop in what it measures.
 *
 * <p>Thread-safety: {@link #arrived} is called from the fake's threads, {@link #run} from one
 * caller; the shared maps are concurrent and times are {@link System#nanoTime()} of this JVM.
 */
final class LatencyProbe {

  private static final Pattern SEQ = Pattern.compile("\"bench_seq\"\\s*:\\s*\"(\\d+)\"");
  private static final int FLOOD_BATCH = 500;
  private static final Duration FLOOD_PAUSE = Duration.ofMillis(250);
  private static final Duration DRAIN = Duration.ofSeconds(60);
  private static final int MAX_IN_FLIGHT = 64;

  /**
   * Latency percentiles of one priority; missing are accepted but not delivered within DRAIN. The
   * p50/p99 run from the 202 to the FCM call; {@code fromSendP99Millis} from the moment the request
   * was due to be sent, so it includes the time the request queued for its 202.
   */
  record Percentiles(
      int count, int missing, double p50Millis, double p99Millis, double fromSendP99Millis) {}

  /**
   * @param achievedRate 202s per second over the phase (or until the last 202, if later)
   * @param sent paced sends made
   * @param notAccepted paced sends answered with another status or not answered at all (refused
   *     connection, timeout): the service did not keep up with the offered rate; sends neither
   *     accepted nor failed were still waiting for their answer when the drain ended
   * @param acceptP99Millis p99 from the moment a paced send was due to its 202
   */
  record Result(
      double achievedRate,
      long sent,
      long notAccepted,
      double acceptP99Millis,
      Percentiles critical,
      Percentiles normal,
      long floodAccepted) {}

  private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
  private final Map<Long, Long> acceptedAt = new ConcurrentHashMap<>();
  private final Map<Long, Long> arrivedAt = new ConcurrentHashMap<>();
  private final Map<Long, Boolean> critical = new ConcurrentHashMap<>();

  /** One JSON item for user {@code user}; {@code seq} (nullable) goes into the push data. */
  static String item(int user, String priority, String body, Long seq) {
    String data = seq == null ? "" : ",\"data\":{\"bench_seq\":\"" + seq + "\"}";
    return "{\"user_id\":\"bench-u%d\",\"type\":\"bench\",\"priority\":\"%s\",\"channels\":[\"push\"],\"title\":\"Bench\",\"body\":\"%s\"%s}"
        .formatted(user, priority, body, data);
  }

  /** Records the first arrival at the fake FCM of a paced push. */
  void arrived(String fcmBody) {
    long now = System.nanoTime();
    Matcher matcher = SEQ.matcher(fcmBody);
    if (matcher.find()) {
      arrivedAt.putIfAbsent(Long.parseLong(matcher.group(1)), now);
    }
  }

  Result run(String base, int rate, Duration duration) throws InterruptedException {
    ExecutorService callbacks = Executors.newFixedThreadPool(4);
    // HTTP/1.1 outright: the default (HTTP/2) would offer an h2c upgrade on every new connection.
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(callbacks)
            .build();
    URI single = URI.create(base + "/api/v1/notifications");
    AtomicLong floodAccepted = new AtomicLong();
    Thread flood =
        new Thread(
            () ->
                flood(
                    http,
                    URI.create(base + "/api/v1/notifications/batch"),
                    floodAccepted,
                    duration),
            "low-flood");
    flood.start();

    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long seq = 0;
    AtomicLong accepted = new AtomicLong();
    AtomicLong notAccepted = new AtomicLong();
    AtomicLong lastAccept = new AtomicLong(start);
    Semaphore connections = new Semaphore(MAX_IN_FLIGHT);
    while (System.nanoTime() < end) {
      long due = start + seq * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      long id = seq++;
      boolean isCritical = id % 2 == 0;
      critical.put(id, isCritical);
      sentAt.put(id, due);
      HttpRequest request =
          HttpRequest.newBuilder(single)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      item(
                          (int) (id % NotificationBenchmark.USERS),
                          isCritical ? "critical" : "normal",
                          "Paced message " + id,
                          id)))
              .build();
      connections.acquire();
      http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (response, failure) -> {
                connections.release();
                if (failure == null && response.statusCode() == 202) {
                  long now = System.nanoTime();
                  acceptedAt.put(id, now);
                  accepted.incrementAndGet();
                  lastAccept.accumulateAndGet(now, Math::max);
                } else {
                  notAccepted.incrementAndGet();
                }
              });
    }
    flood.join();
    long drainDeadline = System.nanoTime() + DRAIN.toNanos();
    while (System.nanoTime() < drainDeadline
        && !arrivedAt.keySet().containsAll(acceptedAt.keySet())) {
      Thread.sleep(200);
    }
    callbacks.shutdownNow();
    // Accepts per second from the first request to the last 202, which comes after the pacing ends
    // when the service falls behind.
    double elapsedSeconds = Math.max(duration.toNanos(), lastAccept.get() - start) / 1e9;
    long[] acceptLatencies =
        acceptedAt.entrySet().stream()
            .mapToLong(e -> Math.max(0, e.getValue() - sentAt.get(e.getKey())))
            .sorted()
            .toArray();
    return new Result(
        accepted.get() / elapsedSeconds,
        seq,
        notAccepted.get(),
        quantile(acceptLatencies, 0.99),
        percentiles(true),
        percentiles(false),
        floodAccepted.get());
  }

  private void flood(HttpClient http, URI batch, AtomicLong accepted, Duration duration) {
    StringBuilder body = new StringBuilder("{\"notifications\":[");
    for (int i = 0; i < FLOOD_BATCH; i++) {
      body.append(i > 0 ? "," : "").append(item(i, "low", "Flood message " + i, null));
    }
    HttpRequest request =
        HttpRequest.newBuilder(batch)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
            .build();
    long end = System.nanoTime() + duration.toNanos();
    try {
      while (System.nanoTime() < end) {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 202) {
          accepted.addAndGet(FLOOD_BATCH);
        }
        Thread.sleep(FLOOD_PAUSE.toMillis());
      }
    } catch (Exception e) {
      throw new IllegalStateException("the low-priority flood failed", e);
    }
  }

  private Percentiles percentiles(boolean ofCritical) {
    List<Long> latencies = new ArrayList<>();
    List<Long> fromSend = new ArrayList<>();
    int missing = 0;
    for (Map.Entry<Long, Long> accepted : acceptedAt.entrySet()) {
      if (critical.get(accepted.getKey()) != ofCritical) {
        continue;
      }
      Long arrived = arrivedAt.get(accepted.getKey());
      if (arrived == null) {
        missing++;
      } else {
        // A push can reach FCM before the 202 reaches the client; that counts as no delay.
        latencies.add(Math.max(0, arrived - accepted.getValue()));
        fromSend.add(arrived - sentAt.get(accepted.getKey()));
      }
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] sortedFromSend = fromSend.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Percentiles(
        sorted.length + missing,
        missing,
        quantile(sorted, 0.50),
        quantile(sorted, 0.99),
        quantile(sortedFromSend, 0.99));
  }

  private static double quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
