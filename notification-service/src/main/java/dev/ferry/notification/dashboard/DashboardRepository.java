package dev.ferry.notification.dashboard;

import dev.ferry.notification.dashboard.DashboardResponses.ChannelRate;
import dev.ferry.notification.dashboard.DashboardResponses.FailureReason;
import dev.ferry.notification.dashboard.DashboardResponses.LatencyRow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The design's dashboard queries over {@code deliveries}, for a window of creation times. */
@Repository
class DashboardRepository {

  private final JdbcClient jdbc;

  DashboardRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<ChannelRate> deliveryRate(Instant from, Instant to) {
    return jdbc.sql(
            """
            SELECT channel,
                   count(*) AS total,
                   count(*) FILTER (WHERE status = 'delivered') AS delivered,
                   count(*) FILTER (WHERE status IN ('failed', 'expired', 'bounced', 'undelivered')) AS failed,
                   count(*) FILTER (WHERE status IN ('pending', 'queued', 'sending', 'retrying')) AS in_progress
              FROM deliveries
             WHERE created_at >= :from AND created_at < :to AND status <> 'skipped'
             GROUP BY channel ORDER BY channel
            """)
        .param("from", utc(from))
        .param("to", utc(to))
        .query(
            (rs, row) -> {
              long delivered = rs.getLong("delivered");
              long failed = rs.getLong("failed");
              long finished = delivered + failed;
              return new ChannelRate(
                  rs.getString("channel"),
                  rs.getLong("total"),
                  delivered,
                  failed,
                  rs.getLong("in_progress"),
                  finished == 0 ? null : delivered * 100.0 / finished);
            })
        .list();
  }

  List<LatencyRow> latency(Instant from, Instant to) {
    return jdbc.sql(
            """
            SELECT d.channel, d.priority, count(*) AS delivered,
                   avg(EXTRACT(EPOCH FROM d.delivered_at - COALESCE(n.release_at, n.created_at))) AS avg_s,
                   percentile_cont(0.99) WITHIN GROUP (
                       ORDER BY EXTRACT(EPOCH FROM d.delivered_at - COALESCE(n.release_at, n.created_at))) AS p99_s
              FROM deliveries d JOIN notifications n ON n.id = d.notification_id
             WHERE d.delivered_at IS NOT NULL AND d.created_at >= :from AND d.created_at < :to
             GROUP BY d.channel, d.priority ORDER BY d.channel, d.priority
            """)
        .param("from", utc(from))
        .param("to", utc(to))
        .query(
            (rs, row) ->
                new LatencyRow(
                    rs.getString("channel"),
                    rs.getString("priority"),
                    rs.getLong("delivered"),
                    rs.getDouble("avg_s"),
                    rs.getDouble("p99_s")))
        .list();
  }

  List<FailureReason> failureReasons(Instant from, Instant to, int limit) {
    return jdbc.sql(
            """
            SELECT channel, COALESCE(last_error, 'unknown') AS reason, count(*) AS count
              FROM deliveries
             WHERE status IN ('failed', 'expired', 'bounced', 'undelivered')
               AND created_at >= :from AND created_at < :to
             GROUP BY channel, reason ORDER BY count DESC, channel, reason LIMIT :limit
            """)
        .param("from", utc(from))
        .param("to", utc(to))
        .param("limit", limit)
        .query(
            (rs, row) ->
                new FailureReason(
                    rs.getString("channel"), rs.getString("reason"), rs.getLong("count")))
        .list();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
