package dev.ferry.broker.protocol;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Where the time of one request goes, split into the stages of Kafka's request metrics ({@code
 * RequestQueueTimeMs}, {@code LocalTimeMs}, {@code RemoteTimeMs}, {@code ResponseQueueTimeMs}):
 *
 * <ul>
 *   <li>{@code queue}: from the frame's arrival until its handler starts, that is waiting behind
 *       the connection's earlier requests (handled one at a time) and then for a handler thread;
 *   <li>{@code local}: the handler itself (Produce: validation, sequence check and append);
 *   <li>{@code remote}: from the handler's return until the response is ready (Produce: waiting for
 *       the group-commit fsync; Fetch: the long poll);
 *   <li>{@code response-queue}: from the response being ready until the connection wrote it (the
 *       hop to the event loop, and waiting for earlier responses, which leave in request order).
 * </ul>
 *
 * <p>Published as {@code ferry.broker.request.stage{api, stage}} with a percentile histogram, once
 * the response is written (or ready, for a request that takes none). The benchmark reads it to show
 * where a produce request's latency goes.
 *
 * <p>Thread-safety: each stage is stamped by the thread that passes it, and the hand-offs between
 * those threads (executor submission, future completion, the event loop's task queue) order the
 * stamps, so the fields need no synchronisation; {@link Timers} is safe for concurrent use.
 */
public final class RequestTimes {

  private static final String[] STAGES = {"queue", "local", "remote", "response-queue"};

  private final Timer[] timers;
  private final long receivedNanos;
  private long startedNanos;
  private long returnedNanos;
  private long completedNanos;

  private RequestTimes(Timer[] timers, long receivedNanos) {
    this.timers = timers;
    this.receivedNanos = receivedNanos;
  }

  /** For a request answered without reaching a handler (unparseable or unsupported). */
  static RequestTimes untimed() {
    return new RequestTimes(null, 0);
  }

  void started() {
    startedNanos = System.nanoTime();
  }

  void returned() {
    returnedNanos = System.nanoTime();
  }

  void completed() {
    completedNanos = System.nanoTime();
  }

  /** Records every stage; called once the response is written, or is ready when there is none. */
  public void written() {
    if (timers == null) {
      return;
    }
    long writtenNanos = System.nanoTime();
    timers[0].record(startedNanos - receivedNanos, TimeUnit.NANOSECONDS);
    timers[1].record(returnedNanos - startedNanos, TimeUnit.NANOSECONDS);
    timers[2].record(completedNanos - returnedNanos, TimeUnit.NANOSECONDS);
    timers[3].record(writtenNanos - completedNanos, TimeUnit.NANOSECONDS);
  }

  /** The stage timers of each API, registered on first use. */
  static final class Timers {

    private final MeterRegistry meterRegistry;
    private final Map<ApiKeys, Timer[]> byApi = new ConcurrentHashMap<>();

    Timers(MeterRegistry meterRegistry) {
      this.meterRegistry = meterRegistry;
    }

    RequestTimes start(ApiKeys api, long receivedNanos) {
      return new RequestTimes(byApi.computeIfAbsent(api, this::register), receivedNanos);
    }

    private Timer[] register(ApiKeys api) {
      Timer[] timers = new Timer[STAGES.length];
      for (int i = 0; i < STAGES.length; i++) {
        timers[i] =
            Timer.builder("ferry.broker.request.stage")
                .description(
                    "Kafka request time by API and stage (queue, local, remote, response-queue)")
                .tags("api", api.name, "stage", STAGES[i])
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(meterRegistry);
      }
      return timers;
    }
  }
}
