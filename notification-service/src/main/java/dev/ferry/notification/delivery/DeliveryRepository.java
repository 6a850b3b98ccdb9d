package dev.ferry.notification.delivery;

import static dev.ferry.notification.SqlTimes.text;
import static dev.ferry.notification.SqlTimes.utc;

import dev.ferry.notification.Channel;
import dev.ferry.notification.Priority;
import dev.ferry.notification.provider.ProviderResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
  private final JsonMapper json;

  DeliveryRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
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

  /**
   * Records {@code calls} in one multi-row statement (one execution in Postgres, where a JDBC batch
   * executes each row as a statement of its own); their ids follow the order of {@code calls}.
   */
  void recordCalls(List<CallRecord> calls) {
    if (calls.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            INSERT INTO delivery_attempts (delivery_id, attempt, provider, recipient, outcome,
                                           error, provider_message_id, started_at, finished_at)
            SELECT c.delivery_id, c.attempt, c.provider, c.recipient, c.outcome, c.error,
                   c.message_id, CAST(c.started_at AS TIMESTAMPTZ),
                   CAST(c.finished_at AS TIMESTAMPTZ)
              FROM unnest(CAST(:ids AS UUID[]), CAST(:attempts AS INT[]),
                          CAST(:providers AS TEXT[]), CAST(:recipients AS TEXT[]),
                          CAST(:outcomes AS TEXT[]), CAST(:errors AS TEXT[]),
                          CAST(:messageIds AS TEXT[]), CAST(:startedAt AS TEXT[]),
                          CAST(:finishedAt AS TEXT[]))
                   WITH ORDINALITY AS c(delivery_id, attempt, provider, recipient, outcome, error,
                                        message_id, started_at, finished_at, position)
             ORDER BY c.position
            """)
        .param("ids", calls.stream().map(c -> c.deliveryId().toString()).toArray(String[]::new))
        .param("attempts", calls.stream().map(CallRecord::attempt).toArray(Integer[]::new))
        .param("providers", calls.stream().map(CallRecord::provider).toArray(String[]::new))
        .param("recipients", calls.stream().map(CallRecord::recipient).toArray(String[]::new))
        .param("outcomes", calls.stream().map(CallRecord::outcome).toArray(String[]::new))
        .param("errors", calls.stream().map(CallRecord::error).toArray(String[]::new))
        .param("messageIds", calls.stream().map(CallRecord::messageId).toArray(String[]::new))
        .param("startedAt", calls.stream().map(c -> text(c.startedAt())).toArray(String[]::new))
        .param("finishedAt", calls.stream().map(c -> text(c.finishedAt())).toArray(String[]::new))
        .update();
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
   * Applies {@code transitions} at {@code now}, one multi-row statement per target status, each
   * guarded as every change after the claim is.
   */
  void moveAll(List<Transition> transitions, Instant now) {
    move(
        transitions,
        now,
        "delivered",
        """
        status = 'delivered', provider = t.provider, provider_message_id = t.message_id,
        delivered_at = :now, last_error = NULL, next_attempt_at = NULL
        """);
    move(
        transitions,
        now,
        "retrying",
        """
        status = 'retrying', provider = t.provider, last_error = t.error,
        next_attempt_at = CAST(t.next_attempt_at AS TIMESTAMPTZ)
        """);
    move(
        transitions,
        now,
        "failed",
        """
        status = 'failed', provider = t.provider, last_error = t.error, failed_at = :now,
        next_attempt_at = NULL
        """);
    move(
        transitions,
        now,
        "expired",
        "status = 'expired', failed_at = :now, last_error = 'expired before it could be delivered'");
  }

  /**
   * Moves the transitions to {@code status} with one {@code UPDATE ... FROM unnest(arrays)}, whose
   * {@code assignments} may use the row's values as {@code t.provider}, {@code t.message_id},
   * {@code t.error} and {@code t.next_attempt_at}, and the time as {@code :now}.
   */
  private void move(List<Transition> transitions, Instant now, String status, String assignments) {
    List<Transition> these = transitions.stream().filter(t -> status.equals(t.status())).toList();
    if (these.isEmpty()) {
      return;
    }
    jdbc.sql(
            "UPDATE deliveries d SET "
                + assignments
                + """
                 FROM unnest(CAST(:ids AS UUID[]), CAST(:attempts AS INT[]),
                             CAST(:providers AS TEXT[]), CAST(:messageIds AS TEXT[]),
                             CAST(:errors AS TEXT[]), CAST(:nextAttempts AS TEXT[]))
                      AS t(id, attempt, provider, message_id, error, next_attempt_at)
                WHERE d.id = t.id AND d.status = 'sending' AND d.attempt_count = t.attempt
                """)
        .param("now", utc(now))
        .param("ids", these.stream().map(t -> t.id().toString()).toArray(String[]::new))
        .param("attempts", these.stream().map(Transition::attempt).toArray(Integer[]::new))
        .param("providers", these.stream().map(Transition::provider).toArray(String[]::new))
        .param("messageIds", these.stream().map(Transition::messageId).toArray(String[]::new))
        .param("errors", these.stream().map(Transition::error).toArray(String[]::new))
        .param(
            "nextAttempts", these.stream().map(t -> text(t.nextAttemptAt())).toArray(String[]::new))
        .update();
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
}
