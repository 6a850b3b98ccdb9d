package dev.ferry.shortener.analytics;

import static dev.ferry.shortener.shard.ShardedDatabases.sql;

import dev.ferry.common.shard.ShardLocation;
import dev.ferry.shortener.shard.ShardedDatabases;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a link's rollups: one indexed range scan on the primary key {@code (code, day, ...)} in the
 * code's shard, whose cost grows with days times distinct dimension values, never with the number
 * of clicks.
 *
 * <p>Thread-safe: stateless.
 */
final class AnalyticsService {

  private static final String READ =
      "SELECT day, dimension, value, clicks FROM $shard.click_rollups"
          + " WHERE code = ? AND day BETWEEN ? AND ?";

  private final ShardedDatabases databases;

  AnalyticsService(ShardedDatabases databases) {
    this.databases = databases;
  }

  AnalyticsResponse stats(String code, LocalDate from, LocalDate to) {
    ShardLocation shard = databases.route(code);
    Map<LocalDate, Long> byDay = new TreeMap<>();
    Map<String, Map<String, Long>> byDimension = new LinkedHashMap<>();
    long[] totals = new long[2];
    databases
        .jdbc(shard)
        .query(
            sql(READ, shard),
            rs -> {
              LocalDate day = rs.getObject("day", LocalDate.class);
              String dimension = rs.getString("dimension");
              String value = rs.getString("value");
              long clicks = rs.getLong("clicks");
              switch (dimension) {
                case "total" -> {
                  totals[0] += clicks;
                  byDay.merge(day, clicks, Long::sum);
                }
                case "bot" -> {
                  totals[1] += clicks;
                  byDimension
                      .computeIfAbsent("bot", d -> new TreeMap<>())
                      .merge(value, clicks, Long::sum);
                }
                default ->
                    byDimension
                        .computeIfAbsent(dimension, d -> new TreeMap<>())
                        .merge(value, clicks, Long::sum);
              }
            },
            code,
            from,
            to);
    List<AnalyticsResponse.DayClicks> days = new ArrayList<>();
    byDay.forEach((day, clicks) -> days.add(new AnalyticsResponse.DayClicks(day, clicks)));
    return new AnalyticsResponse(
        code,
        from,
        to,
        totals[0],
        totals[1],
        days,
        mostFirst(byDimension.get("country")),
        mostFirst(byDimension.get("device")),
        mostFirst(byDimension.get("browser")),
        mostFirst(byDimension.get("os")),
        mostFirst(byDimension.get("referrer")),
        mostFirst(byDimension.get("bot")));
  }

  /** The counts ordered by clicks descending, then value, as a JSON object keeps them. */
  private static Map<String, Long> mostFirst(Map<String, Long> counts) {
    Map<String, Long> ordered = new LinkedHashMap<>();
    if (counts != null) {
      counts.entrySet().stream()
          .sorted(
              Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                  .thenComparing(Map.Entry.comparingByKey()))
          .forEach(entry -> ordered.put(entry.getKey(), entry.getValue()));
    }
    return ordered;
  }
}
