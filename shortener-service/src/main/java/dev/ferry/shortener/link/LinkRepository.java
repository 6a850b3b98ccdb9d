package dev.ferry.shortener.link;

import static dev.ferry.shortener.shard.ShardedDatabases.sql;

import dev.ferry.common.shard.ShardLocation;
import dev.ferry.shortener.shard.ShardedDatabases;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowMapper;

/**
 * SQL for links, one shard at a time. Every statement names its table through the {@code $shard}
 * placeholder, so the same text serves all shards.
 *
 * <p>Thread-safe: stateless apart from the thread-safe {@link ShardedDatabases}.
 */
class LinkRepository {

  private static final String COLUMNS =
      "code, long_url, owner, custom_alias, redirect_type, tags, created_at, updated_at,"
          + " expires_at, max_visits, visits, click_count";

  private static final String INSERT =
      "INSERT INTO $shard.links (code, long_url, owner, custom_alias, redirect_type, tags,"
          + " created_at, updated_at, expires_at, max_visits)"
          + " VALUES (?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING";

  private static final String FIND = "SELECT " + COLUMNS + " FROM $shard.links WHERE code = ?";

  private static final String UPDATE =
      "UPDATE $shard.links SET long_url = COALESCE(?, long_url),"
          + " expires_at = CASE WHEN ? THEN NULL ELSE COALESCE(?, expires_at) END,"
          + " max_visits = CASE WHEN ? THEN NULL ELSE COALESCE(?, max_visits) END,"
          + " tags = COALESCE(?::text[], tags), redirect_type = COALESCE(?, redirect_type),"
          + " updated_at = ? WHERE code = ? RETURNING "
          + COLUMNS;

  private static final String REGISTER_VISIT =
      "UPDATE $shard.links SET visits = visits + 1 WHERE code = ?"
          + " AND (max_visits IS NULL OR visits < max_visits)"
          + " AND (expires_at IS NULL OR expires_at > ?) RETURNING visits";

  private static final String DELETE_LINK = "DELETE FROM $shard.links WHERE code = ?";
  private static final String DELETE_ROLLUPS = "DELETE FROM $shard.click_rollups WHERE code = ?";

  private static final RowMapper<Link> LINK = LinkRepository::mapLink;

  private final ShardedDatabases databases;

  LinkRepository(ShardedDatabases databases) {
    this.databases = databases;
  }

  /** Inserts {@code link} unless its code exists; returns whether it was inserted. */
  boolean insertIfAbsent(Link link) {
    ShardLocation shard = databases.route(link.code());
    int rows =
        databases
            .jdbc(shard)
            .update(
                sql(INSERT, shard),
                link.code(),
                link.longUrl(),
                link.owner(),
                link.customAlias(),
                link.redirectType().status(),
                textArray(link.tags()),
                timestamp(link.createdAt()),
                timestamp(link.updatedAt()),
                timestamp(link.expiresAt()),
                link.maxVisits());
    return rows == 1;
  }

  Optional<Link> find(String code) {
    ShardLocation shard = databases.route(code);
    return databases.jdbc(shard).query(sql(FIND, shard), LINK, code).stream().findFirst();
  }

  Optional<Link> update(String code, UpdateLinkCommand change, Instant now) {
    ShardLocation shard = databases.route(code);
    return databases
        .jdbc(shard)
        .query(
            sql(UPDATE, shard),
            LINK,
            change.longUrl(),
            cleared(change.expiresAt()),
            change.expiresAt() == null ? null : timestamp(change.expiresAt().orElse(null)),
            cleared(change.maxVisits()),
            change.maxVisits() == null ? null : change.maxVisits().orElse(null),
            change.tags() == null ? null : textArray(change.tags()),
            change.redirectType(),
            timestamp(now),
            code)
        .stream()
        .findFirst();
  }

  /** Whether a change removes a property: given, but empty. */
  private static boolean cleared(Optional<?> change) {
    return change != null && change.isEmpty();
  }

  /**
   * Counts one visit of a visit-limited link if it may still be served; returns whether it was
   * counted. The check and the increment are one statement, so two concurrent last visits cannot
   * both pass: Postgres serialises the row update and re-checks the condition for the second.
   */
  boolean registerVisit(String code, Instant now) {
    ShardLocation shard = databases.route(code);
    return !databases
        .jdbc(shard)
        .queryForList(sql(REGISTER_VISIT, shard), Long.class, code, timestamp(now))
        .isEmpty();
  }

  /** Deletes the link and its rollups in one transaction; returns whether it existed. */
  boolean delete(String code) {
    ShardLocation shard = databases.route(code);
    Boolean deleted =
        databases
            .transactions(shard)
            .execute(
                status -> {
                  databases.jdbc(shard).update(sql(DELETE_ROLLUPS, shard), code);
                  return databases.jdbc(shard).update(sql(DELETE_LINK, shard), code) == 1;
                });
    return Boolean.TRUE.equals(deleted);
  }

  /**
   * The first {@code limit} links of {@code owner} (with {@code tag}, if not null) on the shards of
   * one physical database, newest first: one query, a UNION ALL over that database's shard schemas,
   * each branch limited and using the owner index.
   */
  List<Link> newestOfOwner(String physical, String owner, String tag, int limit) {
    List<ShardLocation> shards = databases.shardsOn(physical);
    String branches =
        shards.stream()
            .map(
                shard ->
                    "(SELECT "
                        + COLUMNS
                        + " FROM "
                        + shard.schema()
                        + ".links WHERE owner = ?"
                        + (tag == null ? "" : " AND tags @> ARRAY[?]::text[]")
                        + " ORDER BY created_at DESC, code LIMIT ?)")
            .collect(Collectors.joining(" UNION ALL "));
    List<Object> args = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      args.add(owner);
      if (tag != null) {
        args.add(tag);
      }
      args.add(limit);
    }
    args.add(limit);
    return databases
        .jdbc(physical)
        .query(branches + " ORDER BY created_at DESC, code LIMIT ?", LINK, args.toArray());
  }

  /** How many links {@code owner} has (with {@code tag}) on one physical database. */
  long countOfOwner(String physical, String owner, String tag) {
    List<ShardLocation> shards = databases.shardsOn(physical);
    String branches =
        shards.stream()
            .map(
                shard ->
                    "SELECT count(*) AS n FROM "
                        + shard.schema()
                        + ".links WHERE owner = ?"
                        + (tag == null ? "" : " AND tags @> ARRAY[?]::text[]"))
            .collect(Collectors.joining(" UNION ALL "));
    List<Object> args = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      args.add(owner);
      if (tag != null) {
        args.add(tag);
      }
    }
    Long count =
        databases
            .jdbc(physical)
            .queryForObject(
                "SELECT COALESCE(sum(n), 0) FROM (" + branches + ") counts",
                Long.class,
                args.toArray());
    return count == null ? 0 : count;
  }

  private static Link mapLink(ResultSet rs, int row) throws SQLException {
    Array tags = rs.getArray("tags");
    long maxVisits = rs.getLong("max_visits");
    boolean unlimited = rs.wasNull();
    return new Link(
        rs.getString("code"),
        rs.getString("long_url"),
        rs.getString("owner"),
        rs.getBoolean("custom_alias"),
        RedirectType.ofStatus(rs.getInt("redirect_type")).orElseThrow(),
        tags == null ? List.of() : List.copyOf(Arrays.asList((String[]) tags.getArray())),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "expires_at"),
        unlimited ? null : maxVisits,
        rs.getLong("visits"),
        rs.getLong("click_count"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /**
   * A Postgres array literal ({@code {"a","b"}}) cast to text[] in SQL; quoting every element and
   * escaping backslashes and quotes keeps commas, braces and quotes inside tags literal.
   */
  private static String textArray(List<String> values) {
    return values.stream()
        .map(value -> "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(",", "{", "}"));
  }
}
