package dev.ferry.shortener.analytics;

import static dev.ferry.shortener.shard.ShardedDatabases.sql;

import dev.ferry.common.shard.ShardLocation;
import dev.ferry.shortener.shard.ShardedDatabases;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns click events into pre-aggregated rollups in the shard of each event's code.
 *
 * <p>Per shard, one transaction: insert the event ids into {@code click_events_seen} ({@code ON
 * CONFLICT DO NOTHING}), and count only the events whose id was new, adding their counts to {@code
 * click_rollups} (per code, UTC day, dimension and value) and to the link's {@code click_count}. An
 * event delivered twice, or a batch replayed after a crash before Kafka offsets were committed,
 * therefore counts once. Bots go to the {@code bot} dimension only. The country of a click is
 * decided here, for new events only (see {@link ClickCountries}).
 *
 * <p>Thread-safe: stateless. Rows of one code are written by one consumer at a time, since events
 * are keyed by code and a partition has one consumer.
 */
final class RollupWriter {

  private static final int MAX_VALUE_LENGTH = 200;

  private static final String MARK_SEEN =
      "INSERT INTO $shard.click_events_seen (event_id) VALUES (?) ON CONFLICT DO NOTHING";
  private static final String ADD_ROLLUP =
      "INSERT INTO $shard.click_rollups (code, day, dimension, value, clicks)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (code, day, dimension, value)"
          + " DO UPDATE SET clicks = click_rollups.clicks + EXCLUDED.clicks";
  private static final String ADD_CLICKS =
      "UPDATE $shard.links SET click_count = click_count + ? WHERE code = ?";

  private final ShardedDatabases databases;
  private final UserAgentClassifier agents;
  private final ClickCountries countries;

  RollupWriter(ShardedDatabases databases, UserAgentClassifier agents, ClickCountries countries) {
    this.databases = databases;
    this.agents = agents;
    this.countries = countries;
  }

  private record RollupKey(String code, LocalDate day, String dimension, String value) {}

  /** Counts {@code events}; returns how many were new (not counted before). */
  int write(List<ClickEvent> events) {
    Map<ShardLocation, List<ClickEvent>> byShard =
        events.stream()
            .collect(
                Collectors.groupingBy(
                    event -> databases.route(event.code()),
                    LinkedHashMap::new,
                    Collectors.toList()));
    int fresh = 0;
    for (var entry : byShard.entrySet()) {
      fresh += writeShard(entry.getKey(), entry.getValue());
    }
    return fresh;
  }

  private int writeShard(ShardLocation shard, List<ClickEvent> events) {
    Integer fresh =
        databases
            .transactions(shard)
            .execute(
                status -> {
                  int[] inserted =
                      databases
                          .jdbc(shard)
                          .batchUpdate(
                              sql(MARK_SEEN, shard),
                              events.stream()
                                  .map(event -> new Object[] {event.eventId()})
                                  .toList());
                  Map<RollupKey, Long> rollups = new LinkedHashMap<>();
                  Map<String, Long> humanClicks = new LinkedHashMap<>();
                  int count = 0;
                  for (int i = 0; i < events.size(); i++) {
                    if (inserted[i] == 1) {
                      count++;
                      aggregate(events.get(i), rollups, humanClicks);
                    }
                  }
                  List<Object[]> rollupRows = new ArrayList<>();
                  rollups.forEach(
                      (key, clicks) ->
                          rollupRows.add(
                              new Object[] {
                                key.code(), key.day(), key.dimension(), key.value(), clicks
                              }));
                  databases.jdbc(shard).batchUpdate(sql(ADD_ROLLUP, shard), rollupRows);
                  databases
                      .jdbc(shard)
                      .batchUpdate(
                          sql(ADD_CLICKS, shard),
                          humanClicks.entrySet().stream()
                              .map(e -> new Object[] {e.getValue(), e.getKey()})
                              .toList());
                  return count;
                });
    return fresh == null ? 0 : fresh;
  }

  private void aggregate(
      ClickEvent event, Map<RollupKey, Long> rollups, Map<String, Long> humanClicks) {
    LocalDate day = LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC);
    UserAgentClassifier.Agent agent = agents.classify(event.userAgent());
    if (agent.bot()) {
      rollups.merge(new RollupKey(event.code(), day, "bot", trim(agent.browser())), 1L, Long::sum);
      return;
    }
    humanClicks.merge(event.code(), 1L, Long::sum);
    add(rollups, event.code(), day, "total", "");
    add(rollups, event.code(), day, "country", countries.of(event));
    add(rollups, event.code(), day, "device", agent.device());
    add(rollups, event.code(), day, "browser", trim(agent.browser()));
    add(rollups, event.code(), day, "os", trim(agent.os()));
    add(rollups, event.code(), day, "referrer", referrerHost(event.referrer()));
  }

  private static void add(
      Map<RollupKey, Long> rollups, String code, LocalDate day, String dimension, String value) {
    rollups.merge(new RollupKey(code, day, dimension, value), 1L, Long::sum);
  }

  /** The referring host, {@code direct} without a referrer, {@code unknown} if unparsable. */
  static String referrerHost(String referrer) {
    if (referrer == null || referrer.isBlank()) {
      return "direct";
    }
    try {
      String host = URI.create(referrer.strip()).getHost();
      return host == null ? "unknown" : trim(host.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return "unknown";
    }
  }

  private static String trim(String value) {
    return value.length() <= MAX_VALUE_LENGTH ? value : value.substring(0, MAX_VALUE_LENGTH);
  }
}
