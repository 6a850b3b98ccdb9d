package dev.ferry.notification.outbox;

import dev.ferry.notification.NotificationProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes outbox rows to Kafka and deletes them, on one background thread per instance.
 *
 * <p>A pass locks up to {@code batchSize} rows with {@code FOR UPDATE SKIP LOCKED} (critical
 * first), sends them all, waits for every acknowledgement, then deletes them in the same
 * transaction. If Kafka is down the sends time out, the transaction rolls back and the rows stay
 * for the next pass: an accepted notification is never lost, only delayed. A pass that failed half
 * way may have published some rows already; they are published again, and consumers are idempotent.
 * Several instances relay side by side without publishing a row twice while both are up, thanks to
 * {@code SKIP LOCKED}.
 *
 * <p>Thread-safety: {@link #wakeUp()} may be called from any thread; everything else runs on the
 * relay thread.
 */
@Component
class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final KafkaTemplate<String, String> kafka;
  private final NotificationProperties.Outbox config;
  private final Counter published;
  private final Counter failedPasses;

  /** Released after a commit that wrote outbox rows, so the relay need not wait a poll interval. */
  private final Semaphore signal = new Semaphore(0);

  /** Written by the lifecycle thread, read by the relay thread. */
  private volatile boolean running;

  private Thread thread;
  private boolean kafkaWasDown;

  OutboxRelay(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      KafkaTemplate<String, String> kafka,
      NotificationProperties properties,
      MeterRegistry registry) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.kafka = kafka;
    this.config = properties.outbox();
    this.published =
        Counter.builder("notification.outbox.published")
            .description("Outbox rows published to Kafka")
            .register(registry);
    this.failedPasses =
        Counter.builder("notification.outbox.failed.passes")
            .description("Relay passes that could not publish (Kafka unreachable)")
            .register(registry);
    Gauge.builder("notification.outbox.size", this, OutboxRelay::size)
        .description("Rows waiting in the outbox")
        .register(registry);
    Gauge.builder("notification.outbox.lag.seconds", this, OutboxRelay::lagSeconds)
        .description("Age of the oldest row waiting in the outbox")
        .register(registry);
  }

  void wakeUp() {
    if (signal.availablePermits() == 0) {
      signal.release();
    }
  }

  @Override
  public synchronized void start() {
    running = true;
    thread = new Thread(this::loop, "outbox-relay");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(config.sendTimeout().toMillis() + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops before the Kafka producer and the data source are closed. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }

  private void loop() {
    while (running) {
      try {
        int count = relayOnce();
        if (count < config.batchSize()) {
          signal.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
          signal.drainPermits();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        failedPasses.increment();
        if (!kafkaWasDown) {
          log.warn(
              "Outbox relay cannot publish; rows stay in the outbox until it can: {}",
              e.toString());
          kafkaWasDown = true;
        }
        try {
          Thread.sleep(FAILURE_PAUSE.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** One pass; returns how many rows it published. */
  int relayOnce() {
    Integer count =
        transactions.execute(
            status -> {
              List<Row> rows =
                  jdbc.sql(
                          """
                          SELECT id, topic, message_key, payload FROM outbox
                           ORDER BY priority_rank, id
                           LIMIT ? FOR UPDATE SKIP LOCKED
                          """)
                      .param(config.batchSize())
                      .query(
                          (rs, n) ->
                              new Row(
                                  rs.getLong("id"),
                                  rs.getString("topic"),
                                  rs.getString("message_key"),
                                  rs.getString("payload")))
                      .list();
              if (rows.isEmpty()) {
                return 0;
              }
              List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
              for (Row row : rows) {
                sends.add(kafka.send(row.topic(), row.key(), row.payload()));
              }
              try {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing the outbox", e);
              } catch (Exception e) {
                throw new IllegalStateException("Kafka did not acknowledge the outbox batch", e);
              }
              jdbc.sql("DELETE FROM outbox WHERE id IN (:ids)")
                  .param("ids", rows.stream().map(Row::id).toList())
                  .update();
              return rows.size();
            });
    int published = count == null ? 0 : count;
    if (published > 0) {
      this.published.increment(published);
      if (kafkaWasDown) {
        log.info("Outbox relay publishes again");
        kafkaWasDown = false;
      }
    }
    return published;
  }

  private double size() {
    return jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single();
  }

  private double lagSeconds() {
    return jdbc.sql(
            "SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 FROM outbox")
        .query(Double.class)
        .single();
  }

  private record Row(long id, String topic, String key, String payload) {}
}
