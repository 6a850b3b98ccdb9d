package dev.ferry.notification.deadletter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads dead letters and marks them re-driven; workers write them (delivery feature). */
@Repository
class DeadLetterRepository {

  private final JdbcClient jdbc;

  DeadLetterRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<DeadLetterResponse> list(boolean includeRedriven, String channel, int limit) {
    return jdbc.sql(
            """
            SELECT * FROM dead_letters
             WHERE (:all OR redriven_at IS NULL) AND (CAST(:channel AS VARCHAR) IS NULL OR channel = :channel)
             ORDER BY created_at DESC, id LIMIT :limit
            """)
        .param("all", includeRedriven)
        .param("channel", channel)
        .param("limit", limit)
        .query(DeadLetterRepository::map)
        .list();
  }

  /** Locks an open dead letter for re-drive. */
  Optional<DeadLetterResponse> lockOpen(UUID id) {
    return jdbc.sql("SELECT * FROM dead_letters WHERE id = ? AND redriven_at IS NULL FOR UPDATE")
        .param(id)
        .query(DeadLetterRepository::map)
        .optional();
  }

  void markRedriven(UUID id, Instant now) {
    jdbc.sql("UPDATE dead_letters SET redriven_at = ? WHERE id = ?")
        .params(OffsetDateTime.ofInstant(now, ZoneOffset.UTC), id)
        .update();
  }

  private static DeadLetterResponse map(ResultSet rs, int row) throws SQLException {
    OffsetDateTime redriven = rs.getObject("redriven_at", OffsetDateTime.class);
    return new DeadLetterResponse(
        rs.getObject("id", UUID.class),
        rs.getObject("delivery_id", UUID.class),
        rs.getObject("notification_id", UUID.class),
        rs.getString("channel"),
        rs.getString("priority"),
        rs.getInt("attempts"),
        rs.getString("reason"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        redriven == null ? null : redriven.toInstant());
  }
}
