package dev.ferry.common.keygen;

import dev.ferry.common.concurrent.DaemonExecutors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Hands out short codes to a service that needs them (the shortener) from a local buffer that it
 * refills from keygen-service in batches.
 *
 * <p>The buffer decouples the caller from keygen-service: a refill starts in the background when
 * the level falls to the low watermark, so in steady state {@link #nextCode()} never waits on the
 * network, and while keygen-service is down the caller keeps working until the buffer runs dry.
 * Only then does {@link #nextCode()} make one synchronous attempt and, failing that, throw {@link
 * KeysUnavailableException}. Codes in the buffer are lost when the process dies; keygen-service
 * never hands them out again, so losing them costs keyspace, never uniqueness.
 *
 * <p>Metrics: {@code ferry.keygen.client.buffer.size} (gauge), {@code ferry.keygen.client.refills}
 * and {@code ferry.keygen.client.refill.failures} (counters).
 *
 * <p>Thread-safe: the buffer is a lock-free queue whose level is tracked in an atomic counter, and
 * at most one background refill runs at a time.
 */
public final class KeygenClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KeygenClient.class);

  private record KeyBatch(List<String> keys) {}

  private final KeygenClientProperties properties;
  private final RestClient restClient;
  private final ConcurrentLinkedQueue<String> buffer = new ConcurrentLinkedQueue<>();
  private final AtomicInteger level = new AtomicInteger();
  private final AtomicBoolean refilling = new AtomicBoolean();
  private final ExecutorService refiller;
  private final Counter refills;
  private final Counter refillFailures;

  public KeygenClient(
      KeygenClientProperties properties, RestClient.Builder restClient, MeterRegistry registry) {
    this.properties = properties;
    HttpClient http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
    JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http);
    requestFactory.setReadTimeout(properties.timeout());
    this.restClient =
        restClient.baseUrl(properties.baseUrl().toString()).requestFactory(requestFactory).build();
    this.refiller = DaemonExecutors.singleThread("keygen-client-refill");
    Gauge.builder("ferry.keygen.client.buffer.size", level, AtomicInteger::get)
        .description("Short codes buffered locally and ready to hand out")
        .register(registry);
    this.refills =
        Counter.builder("ferry.keygen.client.refills")
            .description("Batches of short codes fetched from keygen-service")
            .register(registry);
    this.refillFailures =
        Counter.builder("ferry.keygen.client.refill.failures")
            .description("Fetches from keygen-service that failed")
            .register(registry);
  }

  /**
   * Returns a short code no other caller ever gets.
   *
   * @throws KeysUnavailableException if the buffer is empty and keygen-service cannot refill it
   */
  public String nextCode() {
    String code = poll();
    if (code == null) {
      try {
        fetchBatch();
      } catch (RuntimeException e) {
        throw KeysUnavailableException.bufferEmpty(e);
      }
      code = poll();
      if (code == null) {
        throw KeysUnavailableException.bufferEmpty(null);
      }
    }
    if (level.get() <= properties.lowWatermark()) {
      refillInBackground();
    }
    return code;
  }

  /** Codes buffered now. */
  public int bufferSize() {
    return level.get();
  }

  /** Starts a background refill unless one is running; returns at once. */
  public void refillInBackground() {
    if (refilling.compareAndSet(false, true)) {
      refiller.execute(
          () -> {
            try {
              while (level.get() + properties.batchSize() <= properties.capacity()) {
                fetchBatch();
              }
            } catch (RuntimeException e) {
              log.warn(
                  "Refill from keygen-service at {} failed; {} codes left in the buffer: {}",
                  properties.baseUrl(),
                  level.get(),
                  e.toString());
            } finally {
              refilling.set(false);
            }
          });
    }
  }

  private String poll() {
    String code = buffer.poll();
    if (code != null) {
      level.decrementAndGet();
    }
    return code;
  }

  private void fetchBatch() {
    KeyBatch batch;
    try {
      batch =
          restClient
              .post()
              .uri(
                  uri ->
                      uri.path("/api/v1/keys").queryParam("count", properties.batchSize()).build())
              .retrieve()
              .body(KeyBatch.class);
    } catch (RuntimeException e) {
      refillFailures.increment();
      throw e;
    }
    if (batch == null || batch.keys() == null || batch.keys().isEmpty()) {
      refillFailures.increment();
      throw new IllegalStateException("keygen-service answered without keys");
    }
    buffer.addAll(batch.keys());
    level.addAndGet(batch.keys().size());
    refills.increment();
  }

  @Override
  public void close() {
    refiller.shutdownNow();
    try {
      refiller.awaitTermination(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
