package dev.ferry.notification.outbox;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The write side of the transactional outbox: a Kafka message becomes a row in the caller's
 * Postgres transaction, so it exists exactly when the state change it announces was committed. The
 * {@link OutboxRelay} publishes and deletes rows; after a commit it is woken at once so that a
 * message waits for no poll interval. Thread-safe.
 */
@Component
public class Outbox {

  private final JdbcClient jdbc;
  private final OutboxRelay relay;
  private final Clock clock;

  Outbox(JdbcClient jdbc, OutboxRelay relay, Clock clock) {
    this.jdbc = jdbc;
    this.relay = relay;
    this.clock = clock;
  }

  /**
   * Adds a message for {@code topic}; must run inside the caller's transaction.
   *
   * @param rank relay order, lower first (the priority rank), so critical messages overtake a
   *     backlog of low ones already in the outbox
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void append(String topic, String key, String payload, int rank) {
    jdbc.sql(
            """
            INSERT INTO outbox (topic, message_key, payload, priority_rank, created_at)
            VALUES (?, ?, ?, ?, ?)
            """)
        .params(
            topic, key, payload, rank, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
        .update();
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              relay.wakeUp();
            }
          });
    }
  }
}
