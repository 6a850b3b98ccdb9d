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
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
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
 * timed out) is offered again, for up to {@code ferry.shortener.analytics.retry-seconds}; so a
 * broker restart delays clicks but loses none. Clicks not yet packed (no metadata) go back to the
 * queue. A record the producer failed is sent again whole, under its batch id, before newer clicks:
 * the consumer counts a batch id once, so a record that Kafka did take although the producer
 * reported a timeout is not counted twice. A click is lost, and counted in {@code
 * ferry.shortener.clicks.dropped} by reason, when the queue is full ({@code queue_full}), when it
 * waited longer than the retry window ({@code expired}), when Kafka refused it for good ({@code
 * kafka}) or when the instance shut down before Kafka took it ({@code shutdown}, see {@link
 * #close}).
 *
 * <p>Thread-safe: the queue is a {@link BlockingQueue} and the batches to resend a concurrent queue
 * (the producer's callbacks add to it); only the sender thread sends, and {@link #close} once the
 * sender has stopped (or after waiting for it as long as it may). Requeueing, adding a batch to
 * resend and the final drain on close hold {@code closeLock}.
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

  /**
   * Records the producer failed, to be sent again whole; at most {@code queue-capacity} clicks in
   * all ({@code resending} counts them), beyond which a failed record's clicks are dropped.
   */
  private final Queue<ClickBatches.Batch> resends = new ConcurrentLinkedQueue<>();

  private final AtomicInteger resending = new AtomicInteger();
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
    Gauge.builder("ferry.shortener.clicks.queued", this, ClickRecorder::waiting)
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
   * then 74 random bits from {@link ThreadLocalRandom}. Event and batch ids need uniqueness, not
   * secrecy ({@link UUID#randomUUID()} draws from a shared {@code SecureRandom}, which contends
   * under load), and ids that grow with time land at the right edge of the consumer's {@code
   * click_batches_seen} primary key instead of on random pages of it, which keeps that index's
   * inserts and their WAL cheap.
   */
  static UUID timeOrderedUuid(Instant at) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (at.toEpochMilli() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least);
  }

  /** Clicks recorded and not yet handed to the producer: queued, or in records to send again. */
  private int waiting() {
    return queue.size() + resending.get();
  }

  private void sendLoop() {
    List<ClickEvent> batch = new ArrayList<>(DRAIN_BATCH);
    while (running) {
      try {
        if (!sendRound(batch)) {
          // Kafka is unreachable: what was not taken waits to be sent again; wait a little rather
          // than spin on max.block.ms for every record.
          Thread.sleep(RETRY_PAUSE_MILLIS);
        } else if (batch.size() < DRAIN_BATCH) {
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
   * Sends again the records the producer failed, then up to {@link #DRAIN_BATCH} queued clicks
   * (drained into {@code batch}); returns false as soon as the producer fails a send at once.
   */
  private boolean sendRound(List<ClickEvent> batch) {
    if (!resendAll()) {
      return false;
    }
    queue.drainTo(batch, DRAIN_BATCH);
    return batch.isEmpty() || sendAll(batch);
  }

  /**
   * Sends each record waiting to be sent again, the expired ones aside; returns false if the
   * producer failed one at once (it waits again, with those behind it).
   */
  private boolean resendAll() {
    for (int waiting = resends.size(); waiting > 0; waiting--) {
      ClickBatches.Batch batch = resends.poll();
      if (batch == null) {
        return true;
      }
      resending.addAndGet(-batch.events().size());
      if (expired(batch)) {
        droppedExpired.increment(batch.events().size());
      } else if (send(batch).isCompletedExceptionally()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Hands {@code events} to the producer, packed into a record per partition ({@link
   * ClickBatches}). When the topic's partitions cannot be had (no metadata within max.block.ms:
   * Kafka is unreachable), the events go back to the queue; when the producer fails a record at
   * once, it and the records after it wait to be sent again. Returns whether all were handed over.
   */
  private boolean sendAll(List<ClickEvent> events) {
    List<ClickBatches.Batch> batches;
    try {
      int partitions = kafka.partitionsFor(properties.topic()).size();
      if (partitions == 0) {
        throw new UnknownTopicOrPartitionException(
            "no partitions of " + properties.topic() + " yet");
      }
      batches =
          ClickBatches.pack(
              events, partitions, json::writeValueAsString, () -> timeOrderedUuid(clock.instant()));
    } catch (RuntimeException e) {
      warn(e);
      if (retriable(e)) {
        events.forEach(this::retryLater);
      } else {
        droppedKafka.increment(events.size());
      }
      return false;
    }
    for (int i = 0; i < batches.size(); i++) {
      if (send(batches.get(i)).isCompletedExceptionally()) {
        batches.subList(i + 1, batches.size()).forEach(this::resendLater);
        return false;
      }
    }
    return true;
  }

  /**
   * Gives one record to the producer. A failure, now or on delivery, has the record sent again if
   * Kafka may take it later, and drops its clicks otherwise.
   */
  private CompletableFuture<?> send(ClickBatches.Batch batch) {
    try {
      return kafka
          .send(batch.toRecord(properties.topic()))
          .whenComplete(
              (result, failure) -> {
                if (failure == null) {
                  produced.increment(batch.events().size());
                } else {
                  failed(batch, failure);
                }
              });
    } catch (RuntimeException e) {
      failed(batch, e);
      return CompletableFuture.failedFuture(e);
    }
  }

  private void failed(ClickBatches.Batch batch, Throwable failure) {
    warn(failure);
    if (retriable(failure)) {
      resendLater(batch);
    } else {
      droppedKafka.increment(batch.events().size());
    }
  }

  private void resendLater(ClickBatches.Batch batch) {
    int clicks = batch.events().size();
    if (expired(batch)) {
      droppedExpired.increment(clicks);
      return;
    }
    synchronized (closeLock) {
      if (closed) {
        droppedShutdown.increment(clicks);
      } else if (resending.get() + clicks > properties.queueCapacity()) {
        droppedQueueFull.increment(clicks);
      } else {
        resending.addAndGet(clicks);
        resends.add(batch);
        retried.increment(clicks);
      }
    }
  }

  /** Whether the oldest click of {@code batch} has waited longer than the retry window. */
  private boolean expired(ClickBatches.Batch batch) {
    return batch.events().stream().anyMatch(this::expired);
  }

  private boolean expired(ClickEvent event) {
    return event.occurredAt().plusSeconds(properties.retrySeconds()).isBefore(clock.instant());
  }

  private void retryLater(ClickEvent event) {
    if (expired(event)) {
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
    while (System.nanoTime() < deadline && waiting() > 0) {
      if (!sendRound(batch)) {
        Thread.sleep(RETRY_PAUSE_MILLIS);
      }
      batch.clear();
    }
    synchronized (closeLock) {
      closed = true;
      int rest = queue.drainTo(new ArrayList<>());
      for (ClickBatches.Batch unsent = resends.poll(); unsent != null; unsent = resends.poll()) {
        rest += unsent.events().size();
        resending.addAndGet(-unsent.events().size());
      }
      droppedShutdown.increment(rest);
      if (rest > 0) {
        log.warn(
            "{} click events were not taken by Kafka within {} s of shutdown and are lost",
            rest,
            properties.closeTimeoutSeconds());
      }
    }
  }
}
