package dev.ferry.shortener.analytics;

import dev.ferry.common.concurrent.Throttle;
import dev.ferry.shortener.web.ClientAddress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands clicks from the redirect path to Kafka without making a redirect wait.
 *
 * <p>{@link #record} builds a small event and offers it to a bounded queue, which never blocks and
 * wakes nobody; a single sender thread drains the queue every few milliseconds, serialises the
 * events and gives them to the Kafka producer as one record per partition and batch ({@link
 * ClickBatches}), whose own batching and retries do the rest. Even a {@code KafkaTemplate.send} can
 * block (up to {@code max.block.ms}, while metadata is missing because Kafka is down), which is why
 * the redirect thread never calls it.
 *
 * <p>A click Kafka does not take (Kafka down or restarting: no metadata in time, or the delivery
 * timed out) goes back to the queue and is offered again after a pause, for up to {@code
 * ferry.shortener.analytics.retry-seconds}; so a broker restart delays clicks but loses none. The
 * consumer counts each event id once, so a click that Kafka did take although the producer reported
 * a timeout is not counted twice. A click is lost, and counted in {@code
 * ferry.shortener.clicks.dropped} by reason, when the queue is full ({@code queue_full}), when it
 * waited longer than the retry window ({@code expired}), when Kafka refused it for good ({@code
 * kafka}) or when the instance shut down before Kafka took it ({@code shutdown}, see {@link
 * #close}).
 *
 * <p>Thread-safe: the queue is a {@link BlockingQueue}; only the sender thread touches the producer
 * path, and {@link #close} once the sender has stopped (or after waiting for it as long as it may).
 * Requeueing and the final drain on close hold {@code closeLock}.
 */
public final class ClickRecorder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClickRecorder.class);
  private static final int DRAIN_BATCH = 2_000;

  /**
   * How long the sender sleeps after draining less than a full batch. The sender polls rather than
   * waits on the queue: a waiting sender is woken by every click, a futex call on the redirect
   * thread and on the sender each time, which took about a seventh of the serving CPU at 20,000
   * redirects/s and sent records of one or two clicks each.
   */
  private static final long SEND_INTERVAL_MILLIS = 10;

  private static final long RETRY_PAUSE_MILLIS = 500;

  private final BlockingQueue<ClickEvent> queue;
  private final KafkaTemplate<String, String> kafka;
  private final JsonMapper json;
  private final AnalyticsProperties properties;
  private final Clock clock;
  private final Counter produced;
  private final Counter droppedQueueFull;
  private final Counter droppedKafka;
  private final Counter droppedExpired;
  private final Counter droppedShutdown;
  private final Counter retried;
  private final Thread sender;
  private volatile boolean running = true;
  private final Object closeLock = new Object();

  /** Set by {@link #close} once the queue is drained for good; guarded by {@code closeLock}. */
  private boolean closed;

  /** During an outage every click fails, and the metrics count them: one warning per 10 s. */
  private final Throttle warnings = new Throttle(Duration.ofSeconds(10));

  ClickRecorder(
      KafkaTemplate<String, String> kafka,
      JsonMapper json,
      AnalyticsProperties properties,
      Clock clock,
      MeterRegistry registry) {
    this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
    this.kafka = kafka;
    this.json = json;
    this.properties = properties;
    this.clock = clock;
    this.produced =
        Counter.builder("ferry.shortener.clicks.produced")
            .description("Click events acknowledged by Kafka")
            .register(registry);
    this.droppedQueueFull = dropped(registry, "queue_full");
    this.droppedKafka = dropped(registry, "kafka");
    this.droppedExpired = dropped(registry, "expired");
    this.droppedShutdown = dropped(registry, "shutdown");
    this.retried =
        Counter.builder("ferry.shortener.clicks.retried")
            .description("Click events offered to Kafka again after it did not take them")
            .register(registry);
    Gauge.builder("ferry.shortener.clicks.queued", queue, BlockingQueue::size)
        .description("Click events waiting to be handed to the Kafka producer")
        .register(registry);
    this.sender = new Thread(this::sendLoop, "click-sender");
    sender.setDaemon(true);
    sender.start();
  }

  /**
   * Records a click of {@code code} from {@code request}; returns at once without blocking, so it
   * may be called on a Netty event loop.
   */
  public void record(String code, ServerHttpRequest request) {
    record(code, ClientAddress.of(request), request.getHeaders()::getFirst);
  }

  /**
   * Records a click of {@code code} from {@code clientIp}, reading the user agent, referrer and
   * country headers through {@code header} (a header's first value by name, null if absent);
   * returns at once without blocking, so it may be called on a Netty event loop.
   */
  public void record(String code, String clientIp, UnaryOperator<String> header) {
    String country =
        properties.countryHeader().isBlank() ? null : header.apply(properties.countryHeader());
    Instant now = clock.instant();
    ClickEvent event =
        new ClickEvent(
            timeOrderedUuid(now),
            code,
            now,
            clientIp,
            header.apply(HttpHeaders.USER_AGENT),
            header.apply(HttpHeaders.REFERER),
            country);
    if (!queue.offer(event)) {
      droppedQueueFull.increment();
    }
  }

  /**
   * A version-7 UUID (RFC 9562): the Unix time of {@code at} in milliseconds in the top 48 bits,
   * then 74 random bits from {@link ThreadLocalRandom}. Event ids need uniqueness, not secrecy
   * ({@link UUID#randomUUID()} draws from a shared {@code SecureRandom}, which contends under
   * load), and ids that grow with time land at the right edge of the consumer's {@code
   * click_events_seen} primary key instead of on random pages of it, which keeps that index's
   * inserts and their WAL cheap.
   */
  static UUID timeOrderedUuid(Instant at) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (at.toEpochMilli() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least);
  }

  private void sendLoop() {
    List<ClickEvent> batch = new ArrayList<>(DRAIN_BATCH);
    while (running) {
      try {
        int drained = queue.drainTo(batch, DRAIN_BATCH);
        if (drained > 0 && !sendAll(batch)) {
          // Kafka is unreachable: the rest of the batch went back to the queue; wait a little
          // rather than spin on max.block.ms for every event.
          Thread.sleep(RETRY_PAUSE_MILLIS);
        } else if (drained < DRAIN_BATCH) {
          Thread.sleep(SEND_INTERVAL_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * Hands {@code events} to the producer, packed into a record per partition ({@link
   * ClickBatches}). When the producer fails a record at once (no metadata within max.block.ms:
   * Kafka is unreachable), its events and the rest go back to the queue. Returns whether all were
   * handed over.
   */
  private boolean sendAll(List<ClickEvent> events) {
    List<ClickBatches.Batch> batches;
    try {
      int partitions = kafka.partitionsFor(properties.topic()).size();
      if (partitions == 0) {
        throw new UnknownTopicOrPartitionException(
            "no partitions of " + properties.topic() + " yet");
      }
      batches = ClickBatches.pack(events, partitions, json::writeValueAsString);
    } catch (RuntimeException e) {
      events.forEach(event -> failed(event, e));
      return false;
    }
    for (int i = 0; i < batches.size(); i++) {
      if (send(batches.get(i)).isCompletedExceptionally()) {
        batches
            .subList(i + 1, batches.size())
            .forEach(rest -> rest.events().forEach(this::retryLater));
        return false;
      }
    }
    return true;
  }

  /**
   * Gives one record of events to the producer. A failure, now or on delivery, puts its events back
   * on the queue if Kafka may take them later, and drops them otherwise.
   */
  private CompletableFuture<?> send(ClickBatches.Batch batch) {
    try {
      return kafka
          .send(new ProducerRecord<>(properties.topic(), batch.partition(), null, batch.json()))
          .whenComplete(
              (result, failure) -> {
                if (failure == null) {
                  produced.increment(batch.events().size());
                } else {
                  batch.events().forEach(event -> failed(event, failure));
                }
              });
    } catch (RuntimeException e) {
      batch.events().forEach(event -> failed(event, e));
      return CompletableFuture.failedFuture(e);
    }
  }

  private void failed(ClickEvent event, Throwable failure) {
    warn(failure);
    if (retriable(failure)) {
      retryLater(event);
    } else {
      droppedKafka.increment();
    }
  }

  private void retryLater(ClickEvent event) {
    if (event.occurredAt().plusSeconds(properties.retrySeconds()).isBefore(clock.instant())) {
      droppedExpired.increment();
      return;
    }
    // The lock orders this offer against close(): an event is either queued before close()
    // empties the queue for the last time, or counted here, never left uncounted in the queue.
    synchronized (closeLock) {
      if (closed) {
        droppedShutdown.increment();
      } else if (queue.offer(event)) {
        retried.increment();
      } else {
        droppedQueueFull.increment();
      }
    }
  }

  /** Kafka unreachable or slow, as opposed to a record it will never accept. */
  private static boolean retriable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  private void warn(Throwable cause) {
    if (warnings.tryAcquire()) {
      log.warn(
          "Kafka did not take click events (retriable failures are kept and retried): {}",
          cause.toString());
    }
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder("ferry.shortener.clicks.dropped")
        .description("Click events lost before Kafka acknowledged them")
        .tag("reason", reason)
        .register(registry);
  }

  /**
   * Stops the sender and hands the clicks still queued to the producer, retrying those Kafka does
   * not take for up to {@code close-timeout-seconds}; the context closes the producer after this
   * bean (it depends on it), and the producer delivers what it holds on close. So a graceful
   * shutdown loses no click that Kafka takes within the timeout. What is still queued then, and
   * every click that fails from then on, is counted as dropped with reason {@code shutdown}:
   * nothing would offer it again.
   */
  @Override
  public void close() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(properties.closeTimeoutSeconds());
    running = false;
    sender.join(TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime())) + 1);
    List<ClickEvent> batch = new ArrayList<>(DRAIN_BATCH);
    while (System.nanoTime() < deadline && queue.drainTo(batch, DRAIN_BATCH) > 0) {
      if (!sendAll(batch)) {
        Thread.sleep(RETRY_PAUSE_MILLIS);
      }
      batch.clear();
    }
    synchronized (closeLock) {
      closed = true;
      List<ClickEvent> rest = new ArrayList<>();
      queue.drainTo(rest);
      droppedShutdown.increment(rest.size());
      if (!rest.isEmpty()) {
        log.warn(
            "{} click events were not taken by Kafka within {} s of shutdown and are lost",
            rest.size(),
            properties.closeTimeoutSeconds());
      }
    }
  }
}
