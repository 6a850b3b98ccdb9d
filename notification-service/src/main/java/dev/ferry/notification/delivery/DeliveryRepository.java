package dev.ferry.notification.delivery;

import dev.ferry.notification.Channel;
import dev.ferry.notification.Priority;
import dev.ferry.notification.provider.ProviderResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
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
   * Claims attempt {@code attempt} if the delivery is queued for exactly that attempt. Empty for a
   * duplicate or stale message: that attempt was already made (or is being made) by someone.
   */
  Optional<ClaimedDelivery> claim(UUID id, int attempt, Instant now) {
    return jdbc.sql(
            """
            UPDATE deliveries d SET status = 'sending', attempt_count = :attempt,
                   last_attempt_at = :now
              FROM notifications n
             WHERE d.id = :id AND d.status = 'queued' AND d.attempt_count = :attempt - 1
               AND n.id = d.notification_id
            RETURNING d.id, d.notification_id, n.user_id, n.type, d.channel, d.priority,
                      d.subject, d.title, d.body, n.data::text AS data, d.attempt_count,
                      d.attempt_limit, n.expires_at, COALESCE(n.release_at, n.created_at) AS accepted_at
            """)
        .param("id", id)
        .param("attempt", attempt)
        .param("now", utc(now))
        .query(this::mapClaim)
        .optional();
  }

  /**
   * The recipients that took the message of delivery {@code id} in an earlier attempt, with the
   * provider and message id they answered.
   */
  Map<String, ProviderResult.Sent> sentRecipients(UUID id) {
    Map<String, ProviderResult.Sent> sent = new LinkedHashMap<>();
    jdbc.sql(
            """
            SELECT recipient, provider, provider_message_id FROM delivery_attempts
             WHERE delivery_id = ? AND outcome = 'sent' ORDER BY id
            """)
        .param(id)
        .query(
            (RowCallbackHandler)
                rs ->
                    sent.putIfAbsent(
                        rs.getString("recipient"),
                        new ProviderResult.Sent(
                            rs.getString("provider"), rs.getString("provider_message_id"))));
    return sent;
  }

  void recordCall(
      UUID deliveryId,
      int attempt,
      String provider,
      String recipient,
      String outcome,
      String error,
      String messageId,
      Instant startedAt,
      Instant finishedAt) {
    jdbc.sql(
            """
            INSERT INTO delivery_attempts (delivery_id, attempt, provider, recipient, outcome,
                                           error, provider_message_id, started_at, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(
            deliveryId,
            attempt,
            provider,
            recipient,
            outcome,
            error,
            messageId,
            utc(startedAt),
            utc(finishedAt))
        .update();
  }

  boolean markDelivered(UUID id, int attempt, String provider, String messageId, Instant now) {
    return moveFromSending(
        id,
        attempt,
        """
        status = 'delivered', provider = :provider, provider_message_id = :messageId,
        delivered_at = :now, last_error = NULL, next_attempt_at = NULL
        """,
        spec ->
            spec.param("provider", provider).param("messageId", messageId).param("now", utc(now)));
  }

  boolean markRetrying(UUID id, int attempt, String provider, String error, Instant nextAttemptAt) {
    return moveFromSending(
        id,
        attempt,
        "status = 'retrying', provider = :provider, last_error = :error, next_attempt_at = :next",
        spec ->
            spec.param("provider", provider)
                .param("error", error)
                .param("next", utc(nextAttemptAt)));
  }

  boolean markFailed(UUID id, int attempt, String provider, String error, Instant now) {
    return moveFromSending(
        id,
        attempt,
        """
        status = 'failed', provider = :provider, last_error = :error, failed_at = :now,
        next_attempt_at = NULL
        """,
        spec -> spec.param("provider", provider).param("error", error).param("now", utc(now)));
  }

  boolean markExpired(UUID id, int attempt, Instant now) {
    return moveFromSending(
        id,
        attempt,
        """
        status = 'expired', failed_at = :now,
        last_error = 'expired before it could be delivered'
        """,
        spec -> spec.param("now", utc(now)));
  }

  /**
   * Applies {@code assignments} (a SET list whose named parameters {@code values} binds) if attempt
   * {@code attempt} still holds the delivery; false if the claim was lost.
   */
  private boolean moveFromSending(
      UUID id, int attempt, String assignments, UnaryOperator<StatementSpec> values) {
    return values
            .apply(
                jdbc.sql(
                    "UPDATE deliveries SET "
                        + assignments
                        + " WHERE id = :id AND status = 'sending' AND attempt_count = :attempt"))
            .param("id", id)
            .param("attempt", attempt)
            .update()
        == 1;
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
