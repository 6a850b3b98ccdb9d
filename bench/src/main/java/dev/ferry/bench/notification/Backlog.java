package dev.ferry.bench.notification;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's unfinished work, read from its own gauges: outbox rows not yet published ({@code
 * notification.outbox.size}) and deliveries queued or being sent ({@code notification.queue.size},
 * all priorities). The benchmark waits for the outbox to drain after the warm-up, so that the
 * measured single sends never compete with relaying the warm-up's batches (in the runs so far the
 * relay had kept up: it took a second). The deliveries are not waited for: low priority has four
 * provider calls in flight by design, about 90 deliveries/s against the fake FCM, so the warm-up's
 * low backlog takes hours, at about a quarter of a core, in every phase alike.
 */
final class Backlog {

  private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([-0-9.Ee+]+)");
  private static final Duration POLL = Duration.ofSeconds(1);

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  Backlog(String base) {
    this.base = base;
  }

  /** Outbox rows not yet published. */
  long outbox() throws IOException, InterruptedException {
    return gauge("notification.outbox.size");
  }

  /** Deliveries queued or being sent, all priorities. */
  long deliveries() throws IOException, InterruptedException {
    return gauge("notification.queue.size");
  }

  /**
   * Waits until the outbox is empty, or {@code limit} has passed; returns the rows left (0 when
   * drained).
   */
  long awaitOutboxDrained(Duration limit) throws IOException, InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    long left = outbox();
    while (left > 0 && System.nanoTime() < end) {
      Thread.sleep(POLL.toMillis());
      left = outbox();
    }
    return left;
  }

  /** The summed value of a gauge over all its tags, from the metrics endpoint. */
  private long gauge(String name) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/actuator/metrics/" + name)).build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher value = VALUE.matcher(response.body());
    if (response.statusCode() != 200 || !value.find()) {
      throw new IllegalStateException(name + " not readable: " + response.statusCode());
    }
    return Math.round(Double.parseDouble(value.group(1)));
  }
}
