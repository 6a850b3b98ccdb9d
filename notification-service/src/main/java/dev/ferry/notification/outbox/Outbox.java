package dev.ferry.notification.outbox;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
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

  private final JdbcClient jdbc;
  private final OutboxRelay relay;
  private final Clock clock;

  Outbox(JdbcClient jdbc, OutboxRelay relay, Clock clock) {
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
   * Adds {@code messages} in one multi-row statement (one execution in Postgres however many rows,
   * where a JDBC batch executes each row as a statement of its own); must run inside the caller's
   * transaction. Rows get ids in the order of {@code messages}, the order the relay publishes them
   * in. The relay is woken after the commit.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void appendAll(List<Message> messages) {
    if (messages.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            INSERT INTO outbox (topic, message_key, payload, priority_rank, created_at)
            SELECT m.topic, m.message_key, m.payload, m.priority_rank, :now
              FROM unnest(CAST(:topics AS TEXT[]), CAST(:keys AS TEXT[]),
                          CAST(:payloads AS TEXT[]), CAST(:ranks AS SMALLINT[]))
                   WITH ORDINALITY AS m(topic, message_key, payload, priority_rank, position)
             ORDER BY m.position
            """)
        .param("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
        .param("topics", messages.stream().map(Message::topic).toArray(String[]::new))
        .param("keys", messages.stream().map(Message::key).toArray(String[]::new))
        .param("payloads", messages.stream().map(Message::payload).toArray(String[]::new))
        .param("ranks", messages.stream().map(Message::rank).toArray(Integer[]::new))
        .update();
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
