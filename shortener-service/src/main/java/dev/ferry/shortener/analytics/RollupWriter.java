package dev.ferry.shortener.analytics;

import static dev.ferry.shortener.shard.ShardedDatabases.sql;

import dev.ferry.common.shard.ShardLocation;
import dev.ferry.shortener.shard.ShardedDatabases;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * Turns click events into pre-aggregated rollups in the shard of each event's code.
 *
 * <p>Per physical database, one transaction covering every shard on it; per shard three statements,
 * each taking the whole batch as arrays ({@code unnest}): insert the ids of the {@link ClickGroup
 * groups} with events in the shard into {@code click_batches_seen} ({@code ON CONFLICT DO NOTHING
 * RETURNING} the new ones), then add the counts of the new groups' events only to {@code
 * click_rollups} (per code, UTC day, dimension and value) and to the links' {@code click_count}. A
 * record delivered or sent twice, or a batch replayed after a crash before Kafka offsets were
 * committed, therefore counts once. A group is guarded per shard, each shard's part in the same
 * transaction as that shard's counts, so a group spanning two physical databases is counted on each
 * once. Bots go to the {@code bot} dimension only. The country of a click is decided here, for new
 * events only (see {@link ClickCountries}).
 *
 * <p>Cost: a batch costs one commit per physical database and three statements per shard however
 * many events it holds, each rollup row once per batch however many of its clicks the batch holds,
 * and a row of {@code click_batches_seen} per group and shard. Row-by-row statements (a JDBC batch
 * of one statement per event and rollup) made Postgres and the consumer take about half of the
 * machine's CPU at 6,000 clicks/s; a guard row per click was a fifth of Postgres's CPU at 23,000
 * clicks/s.
 *
 * <p>Thread-safe: stateless. Rows of one code are written by one consumer at a time, since events
 * are keyed by code and a partition has one consumer.
 */
final class RollupWriter {

  private static final int MAX_VALUE_LENGTH = 200;

  private static final String MARK_SEEN =
      "INSERT INTO $shard.click_batches_seen (batch_id) SELECT * FROM unnest(?::uuid[])"
          + " ON CONFLICT DO NOTHING RETURNING batch_id";
  private static final String ADD_ROLLUPS =
      "INSERT INTO $shard.click_rollups (code, day, dimension, value, clicks)"
          + " SELECT code, day::date, dimension, value, clicks"
          + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])"
          + " AS r(code, day, dimension, value, clicks)"
          + " ON CONFLICT (code, day, dimension, value)"
          + " DO UPDATE SET clicks = click_rollups.clicks + EXCLUDED.clicks";
  private static final String ADD_CLICKS =
      "UPDATE $shard.links l SET click_count = l.click_count + v.clicks"
          + " FROM unnest(?::text[], ?::bigint[]) AS v(code, clicks) WHERE l.code = v.code";

  private final ShardedDatabases databases;
  private final UserAgentClassifier agents;
  private final ClickCountries countries;

  RollupWriter(ShardedDatabases databases, UserAgentClassifier agents, ClickCountries countries) {
    this.databases = databases;
    this.agents = agents;
    this.countries = countries;
  }

  private record RollupKey(String code, LocalDate day, String dimension, String value) {}

  /**
   * Counts the events of {@code groups}; returns how many were new (their group not counted
   * before). A group twice in {@code groups} counts once.
   */
  int write(List<ClickGroup> groups) {
    Map<String, Map<ShardLocation, Map<UUID, List<ClickEvent>>>> byDatabase = new LinkedHashMap<>();
    for (ClickGroup group : groups) {
      Map<ShardLocation, List<ClickEvent>> byShard = new LinkedHashMap<>();
      for (ClickEvent event : group.events()) {
        byShard
            .computeIfAbsent(databases.route(event.code()), shard -> new ArrayList<>())
            .add(event);
      }
      byShard.forEach(
          (shard, events) ->
              byDatabase
                  .computeIfAbsent(shard.physicalDatabase(), database -> new LinkedHashMap<>())
                  .computeIfAbsent(shard, location -> new LinkedHashMap<>())
                  .putIfAbsent(group.id(), events));
    }
    int fresh = 0;
    for (Map<ShardLocation, Map<UUID, List<ClickEvent>>> shards : byDatabase.values()) {
      ShardLocation any = shards.keySet().iterator().next();
      Integer written =
          databases
              .transactions(any)
              .execute(
                  status ->
                      databases
                          .jdbc(any)
                          .execute(
                              (ConnectionCallback<Integer>)
                                  connection -> {
                                    int count = 0;
                                    for (var shard : shards.entrySet()) {
                                      count +=
                                          writeShard(connection, shard.getKey(), shard.getValue());
                                    }
                                    return count;
                                  }));
      fresh += written == null ? 0 : written;
    }
    return fresh;
  }

  private int writeShard(
      Connection connection, ShardLocation shard, Map<UUID, List<ClickEvent>> groups)
      throws SQLException {
    Set<UUID> fresh = markSeen(connection, shard, groups.keySet());
    Map<RollupKey, Long> rollups = new LinkedHashMap<>();
    Map<String, Long> humanClicks = new LinkedHashMap<>();
    int count = 0;
    for (Map.Entry<UUID, List<ClickEvent>> group : groups.entrySet()) {
      if (fresh.contains(group.getKey())) {
        count += group.getValue().size();
        group.getValue().forEach(event -> aggregate(event, rollups, humanClicks));
      }
    }
    addRollups(connection, shard, rollups);
    addClicks(connection, shard, humanClicks);
    return count;
  }

  /** Records the group ids as seen in {@code shard}; returns those that were not seen before. */
  private static Set<UUID> markSeen(Connection connection, ShardLocation shard, Set<UUID> ids)
      throws SQLException {
    Set<UUID> fresh = new HashSet<>();
    try (PreparedStatement statement = connection.prepareStatement(sql(MARK_SEEN, shard))) {
      statement.setArray(1, connection.createArrayOf("uuid", ids.toArray(UUID[]::new)));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          fresh.add(rows.getObject(1, UUID.class));
        }
      }
    }
    return fresh;
  }

  private static void addRollups(
      Connection connection, ShardLocation shard, Map<RollupKey, Long> rollups)
      throws SQLException {
    if (rollups.isEmpty()) {
      return;
    }
    int size = rollups.size();
    String[] codes = new String[size];
    String[] days = new String[size];
    String[] dimensions = new String[size];
    String[] values = new String[size];
    Long[] clicks = new Long[size];
    int i = 0;
    for (Map.Entry<RollupKey, Long> rollup : rollups.entrySet()) {
      RollupKey key = rollup.getKey();
      codes[i] = key.code();
      days[i] = key.day().toString();
      dimensions[i] = key.dimension();
      values[i] = key.value();
      clicks[i] = rollup.getValue();
      i++;
    }
    try (PreparedStatement statement = connection.prepareStatement(sql(ADD_ROLLUPS, shard))) {
      statement.setArray(1, connection.createArrayOf("text", codes));
      statement.setArray(2, connection.createArrayOf("text", days));
      statement.setArray(3, connection.createArrayOf("text", dimensions));
      statement.setArray(4, connection.createArrayOf("text", values));
      statement.setArray(5, connection.createArrayOf("int8", clicks));
      statement.executeUpdate();
    }
  }

  private static void addClicks(
      Connection connection, ShardLocation shard, Map<String, Long> humanClicks)
      throws SQLException {
    if (humanClicks.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(sql(ADD_CLICKS, shard))) {
      statement.setArray(
          1, connection.createArrayOf("text", humanClicks.keySet().toArray(String[]::new)));
      statement.setArray(
          2, connection.createArrayOf("int8", humanClicks.values().toArray(Long[]::new)));
      statement.executeUpdate();
    }
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
