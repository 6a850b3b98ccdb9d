package dev.ferry.notification.outbox;

import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.Priority;
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
 * Publishes outbox rows to Kafka and deletes them, on one background thread per priority rank
 * ("lane") per instance.
 *
 * <p>A pass of a lane locks up to {@code batchSize} rows of its rank with {@code FOR UPDATE SKIP
 * LOCKED}, sends them all, waits for every acknowledgement, then deletes them in the same
 * transaction. If Kafka is down the sends time out, the transaction rolls back and the rows stay
 * for the next pass: an accepted notification is never lost, only delayed. A pass that failed half
 * way may have published some rows already; they are published again, and consumers are idempotent.
 * Several instances relay side by side without publishing a row twice while both are up, thanks to
 * {@code SKIP LOCKED}.
 *
 * <p>Why lanes: with one relay, a critical row committed while a pass of 500 low rows is waiting
 * for Kafka's acknowledgements waits for that whole pass. With a lane per rank, the critical lane
 * has its own thread, its own database connection while it runs, and its own passes, so a backlog
 * of low rows in the outbox never delays it; ordering by rank inside one query is no longer needed.
 *
 * <p>Thread-safety: {@link #wakeUp(int)} may be called from any thread; each lane's pass runs only
 * on that lane's thread.
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
  private final List<Lane> lanes = new ArrayList<>();

  /** Written by the lifecycle thread, read by the lane threads. */
  private volatile boolean running;

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
    for (Priority priority : Priority.values()) {
      lanes.add(new Lane(priority.rank(), "outbox-relay-" + priority.wire()));
    }
  }

  /** Wakes the lane of {@code rank} after a commit that wrote rows of that rank. */
  void wakeUp(int rank) {
    lanes.get(rank).wakeUp();
  }

  @Override
  public synchronized void start() {
    running = true;
    lanes.forEach(Lane::start);
  }

  @Override
  public synchronized void stop() {
    running = false;
    lanes.forEach(Lane::interrupt);
    for (Lane lane : lanes) {
      lane.join(config.sendTimeout().toMillis() + 1000);
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

  /**
   * The query of a pass of the lane of {@code rank}. The rank is written into the SQL rather than
   * bound: as a parameter, Postgres's generic plan for the prepared statement walked the primary
   * key in id order and filtered by rank, so a pass of the critical lane over an outbox holding
   * 500,000 low rows (live or not yet vacuumed) took 120-180 ms of Postgres CPU to find nothing,
   * and the four lanes polling so kept Postgres busier than anything else while a backlog was
   * relayed. With the rank a constant, the plan is an index range scan of {@code
   * outbox_relay_order} for that rank only.
   */
  static String passQuery(int rank) {
    return """
        SELECT id, topic, message_key, payload FROM outbox
         WHERE priority_rank = %d
         ORDER BY id
         LIMIT ? FOR UPDATE SKIP LOCKED
        """
        .formatted(rank);
  }

  /** One pass over the rows of {@code rank}; returns how many it published. */
  int relayOnce(int rank) {
    Integer count =
        transactions.execute(
            status -> {
              List<Row> rows =
                  jdbc.sql(passQuery(rank))
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
              jdbc.sql("DELETE FROM outbox WHERE id = ANY(?)")
                  .param(rows.stream().mapToLong(Row::id).boxed().toArray(Long[]::new))
                  .update();
              return rows.size();
            });
    int published = count == null ? 0 : count;
    if (published > 0) {
      this.published.increment(published);
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

  /**
   * The thread relaying one rank. Thread-safety: {@link #wakeUp} from any thread; the failure flag
   * only on the lane's thread.
   */
  private final class Lane {

    private final int rank;
    private final String name;

    /** Released after a commit that wrote rows of this rank, so the lane need not poll. */
    private final Semaphore signal = new Semaphore(0);

    private Thread thread;
    private boolean kafkaWasDown;

    Lane(int rank, String name) {
      this.rank = rank;
      this.name = name;
    }

    void wakeUp() {
      if (signal.availablePermits() == 0) {
        signal.release();
      }
    }

    void start() {
      thread = new Thread(this::loop, name);
      thread.setDaemon(true);
      thread.start();
    }

    void interrupt() {
      if (thread != null) {
        thread.interrupt();
      }
    }

    void join(long millis) {
      if (thread == null) {
        return;
      }
      try {
        thread.join(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void loop() {
      while (running) {
        try {
          int count = relayOnce(rank);
          if (count > 0 && kafkaWasDown) {
            log.info("Outbox relay ({}) publishes again", name);
            kafkaWasDown = false;
          }
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
                "Outbox relay ({}) cannot publish; rows stay in the outbox until it can: {}",
                name,
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
  }
}
