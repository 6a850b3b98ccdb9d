package dev.ferry.notification.outbox;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The write side of the transactional outbox: a Kafka message becomes a row in the caller's
 * Postgres transaction, so it exists exactly when the state change it announces was committed. The
 * {@link OutboxRelay} publishes and deletes rows; after a commit the relay lanes of the ranks
 * written are woken at once so that a message waits for no poll interval. Thread-safe.
 */
@Component
public class Outbox {

  private final JdbcTemplate jdbc;
  private final OutboxRelay relay;
  private final Clock clock;

  Outbox(JdbcTemplate jdbc, OutboxRelay relay, Clock clock) {
    this.jdbc = jdbc;
    this.relay = relay;
    this.clock = clock;
  }

  /** One message to append: its topic, key, payload and relay lane (the priority rank). */
  public record Message(String topic, String key, String payload, int rank) {}

  /**
   * Adds a message for {@code topic}; must run inside the caller's transaction.
   *
   * @param rank relay lane, the priority rank: each rank has its own relay thread, so critical
   *     messages never wait behind a backlog of low ones already in the outbox
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void append(String topic, String key, String payload, int rank) {
    appendAll(List.of(new Message(topic, key, payload, rank)));
  }

  /**
   * Adds {@code messages} in one JDBC batch; must run inside the caller's transaction. The relay is
   * woken after the commit.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void appendAll(List<Message> messages) {
    if (messages.isEmpty()) {
      return;
    }
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    jdbc.batchUpdate(
        """
        INSERT INTO outbox (topic, message_key, payload, priority_rank, created_at)
        VALUES (?, ?, ?, ?, ?)
        """,
        messages,
        messages.size(),
        (statement, message) -> {
          statement.setString(1, message.topic());
          statement.setString(2, message.key());
          statement.setString(3, message.payload());
          statement.setInt(4, message.rank());
          statement.setObject(5, now);
        });
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      int[] ranks = messages.stream().mapToInt(Message::rank).distinct().toArray();
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              for (int rank : ranks) {
                relay.wakeUp(rank);
              }
            }
          });
    }
  }
}
