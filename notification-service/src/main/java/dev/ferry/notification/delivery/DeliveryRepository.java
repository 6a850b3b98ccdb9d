package dev.ferry.notification.delivery;

import dev.ferry.notification.Channel;
import dev.ferry.notification.Priority;
import dev.ferry.notification.provider.ProviderResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * State changes of deliveries made by workers. Every change after the claim is guarded by {@code
 * status = 'sending' AND attempt_count = attempt}, so a worker that lost its claim (the sweeper
 * gave the delivery to another attempt) cannot overwrite the newer state.
 */
@Repository
class DeliveryRepository {

  private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final JsonMapper json;

  DeliveryRepository(JdbcClient jdbc, JdbcTemplate batch, JsonMapper json) {
    this.jdbc = jdbc;
    this.batch = batch;
    this.json = json;
  }

  /**
   * Claims, in one statement, each of {@code messages} whose delivery is queued for exactly that
   * attempt. Duplicate or stale messages (that attempt was already made, or is being made, by
   * someone) claim nothing and are missing from the result.
   */
  List<ClaimedDelivery> claimAll(Collection<DeliveryMessage> messages, Instant now) {
    if (messages.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            UPDATE deliveries d SET status = 'sending', attempt_count = m.attempt,
                   last_attempt_at = :now
              FROM notifications n,
                   unnest(CAST(:ids AS uuid[]), CAST(:attempts AS int[])) AS m(id, attempt)
             WHERE d.id = m.id AND d.status = 'queued' AND d.attempt_count = m.attempt - 1
               AND n.id = d.notification_id
            RETURNING d.id, d.notification_id, n.user_id, n.type, d.channel, d.priority,
                      d.subject, d.title, d.body, n.data::text AS data, d.attempt_count,
                      d.attempt_limit, n.expires_at, COALESCE(n.release_at, n.created_at) AS accepted_at
            """)
        .param("ids", messages.stream().map(m -> m.deliveryId().toString()).toArray(String[]::new))
        .param("attempts", messages.stream().map(DeliveryMessage::attempt).toArray(Integer[]::new))
        .param("now", utc(now))
        .query(this::mapClaim)
        .list();
  }

  /**
   * For each of {@code ids} with earlier attempts, the recipients that took its message, with the
   * provider and message id they answered.
   */
  Map<UUID, Map<String, ProviderResult.Sent>> sentRecipients(Collection<UUID> ids) {
    Map<UUID, Map<String, ProviderResult.Sent>> sent = new HashMap<>();
    if (ids.isEmpty()) {
      return sent;
    }
    jdbc.sql(
            """
            SELECT delivery_id, recipient, provider, provider_message_id FROM delivery_attempts
             WHERE delivery_id = ANY(CAST(? AS uuid[])) AND outcome = 'sent' ORDER BY id
            """)
        .param(ids.stream().map(UUID::toString).toArray(String[]::new))
        .query(
            (RowCallbackHandler)
                rs ->
                    sent.computeIfAbsent(
                            rs.getObject("delivery_id", UUID.class), id -> new LinkedHashMap<>())
                        .putIfAbsent(
                            rs.getString("recipient"),
                            new ProviderResult.Sent(
                                rs.getString("provider"), rs.getString("provider_message_id"))));
    return sent;
  }

  /** One provider call to record in {@code delivery_attempts}. */
  record CallRecord(
      UUID deliveryId,
      int attempt,
      String provider,
      String recipient,
      String outcome,
      String error,
      String messageId,
      Instant startedAt,
      Instant finishedAt) {}

  /** Records {@code calls} in one JDBC batch. */
  void recordCalls(List<CallRecord> calls) {
    if (calls.isEmpty()) {
      return;
    }
    batch.batchUpdate(
        """
        INSERT INTO delivery_attempts (delivery_id, attempt, provider, recipient, outcome,
                                       error, provider_message_id, started_at, finished_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        calls,
        calls.size(),
        (statement, call) -> {
          statement.setObject(1, call.deliveryId());
          statement.setInt(2, call.attempt());
          statement.setString(3, call.provider());
          statement.setString(4, call.recipient());
          statement.setString(5, call.outcome());
          statement.setString(6, call.error());
          statement.setString(7, call.messageId());
          statement.setObject(8, utc(call.startedAt()));
          statement.setObject(9, utc(call.finishedAt()));
        });
  }

  /**
   * Where an attempt leaves its delivery: {@code delivered} (provider, message id), {@code
   * retrying} (provider, error, next attempt), {@code failed} (provider, error) or {@code expired}.
   */
  record Transition(
      UUID id,
      int attempt,
      String status,
      String provider,
      String messageId,
      String error,
      Instant nextAttemptAt) {}

  /**
   * Applies {@code transitions} at {@code now}, one JDBC batch per target status, each guarded as
   * every change after the claim is.
   */
  void moveAll(List<Transition> transitions, Instant now) {
    OffsetDateTime at = utc(now);
    moveBatch(
        transitions,
        "delivered",
        """
        status = 'delivered', provider = ?, provider_message_id = ?, delivered_at = ?,
        last_error = NULL, next_attempt_at = NULL
        """,
        (statement, t) -> {
          statement.setString(1, t.provider());
          statement.setString(2, t.messageId());
          statement.setObject(3, at);
          return 4;
        });
    moveBatch(
        transitions,
        "retrying",
        "status = 'retrying', provider = ?, last_error = ?, next_attempt_at = ?",
        (statement, t) -> {
          statement.setString(1, t.provider());
          statement.setString(2, t.error());
          statement.setObject(3, utc(t.nextAttemptAt()));
          return 4;
        });
    moveBatch(
        transitions,
        "failed",
        """
        status = 'failed', provider = ?, last_error = ?, failed_at = ?, next_attempt_at = NULL
        """,
        (statement, t) -> {
          statement.setString(1, t.provider());
          statement.setString(2, t.error());
          statement.setObject(3, at);
          return 4;
        });
    moveBatch(
        transitions,
        "expired",
        "status = 'expired', failed_at = ?, last_error = 'expired before it could be delivered'",
        (statement, t) -> {
          statement.setObject(1, at);
          return 2;
        });
  }

  /** Binds a transition's SET values from index 1; returns the next free index. */
  @FunctionalInterface
  private interface SetValues {
    int bind(PreparedStatement statement, Transition transition) throws SQLException;
  }

  private void moveBatch(
      List<Transition> transitions, String status, String assignments, SetValues values) {
    List<Transition> these = transitions.stream().filter(t -> status.equals(t.status())).toList();
    if (these.isEmpty()) {
      return;
    }
    batch.batchUpdate(
        "UPDATE deliveries SET "
            + assignments
            + " WHERE id = ? AND status = 'sending' AND attempt_count = ?",
        these,
        these.size(),
        (statement, t) -> {
          int next = values.bind(statement, t);
          statement.setObject(next, t.id());
          statement.setInt(next + 1, t.attempt());
        });
  }

  void insertDeadLetter(ClaimedDelivery delivery, String reason, Instant now) {
    jdbc.sql(
            """
            INSERT INTO dead_letters (id, delivery_id, notification_id, channel, priority,
                                      attempts, reason, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(
            UUID.randomUUID(),
            delivery.id(),
            delivery.notificationId(),
            delivery.channel().wire(),
            delivery.priority().wire(),
            delivery.attempt(),
            reason,
            utc(now))
        .update();
  }

  /**
   * Makes a failed delivery queued again with a fresh retry budget of {@code attempts}; returns its
   * priority and the next attempt number, or empty if it is not failed.
   */
  Optional<Requeued> requeueFailed(UUID id, int attempts, Instant now) {
    return jdbc.sql(
            """
            UPDATE deliveries SET status = 'queued', queued_at = :now, failed_at = NULL,
                   attempt_limit = attempt_count + :attempts
             WHERE id = :id AND status = 'failed'
            RETURNING priority, attempt_count
            """)
        .param("id", id)
        .param("attempts", attempts)
        .param("now", utc(now))
        .query(
            (rs, row) ->
                new Requeued(
                    Priority.fromWire(rs.getString("priority")).orElseThrow(),
                    rs.getInt("attempt_count") + 1))
        .optional();
  }

  record Requeued(Priority priority, int attempt) {}

  private ClaimedDelivery mapClaim(ResultSet rs, int row) throws SQLException {
    Map<String, String> data = new LinkedHashMap<>();
    json.readValue(rs.getString("data"), DATA)
        .forEach(
            (key, value) ->
                data.put(key, value instanceof String s ? s : json.writeValueAsString(value)));
    OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
    return new ClaimedDelivery(
        rs.getObject("id", UUID.class),
        rs.getObject("notification_id", UUID.class),
        rs.getString("user_id"),
        rs.getString("type"),
        Channel.fromWire(rs.getString("channel")).orElseThrow(),
        Priority.fromWire(rs.getString("priority")).orElseThrow(),
        rs.getString("subject"),
        rs.getString("title"),
        rs.getString("body"),
        data,
        rs.getInt("attempt_count"),
        rs.getInt("attempt_limit"),
        expires == null ? null : expires.toInstant(),
        rs.getObject("accepted_at", OffsetDateTime.class).toInstant());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
