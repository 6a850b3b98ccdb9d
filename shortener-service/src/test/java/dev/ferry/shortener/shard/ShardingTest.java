package dev.ferry.shortener.shard;

import static dev.ferry.shortener.support.ShortenerInfrastructure.LISTER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.shard.ShardMap;
import dev.ferry.common.shard.ShardRouter;
import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardingTest extends ShortenerIntegrationTest {

  /** The placement the test deployment is configured with, written out independently. */
  private static final ShardRouter EXPECTED =
      new ShardRouter(ShardMap.of(16, Map.of("main", "0-7", "second", "8-15")));

  @Test
  void linksLandOnTheShardAndDatabaseTheMapNamesAndNowhereElse() throws SQLException {
    Set<String> databasesUsed = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      String code = shortenUrl(null, "https://example.com/sharded/" + i);
      var location = EXPECTED.route(code);
      String other = location.physicalDatabase().equals("main") ? "second" : "main";

      assertThat(longUrlIn(location.physicalDatabase(), location.schema(), code))
          .isEqualTo("https://example.com/sharded/" + i);
      assertThat(longUrlIn(other, location.schema(), code)).isNull();
      databasesUsed.add(location.physicalDatabase());
    }
    assertThat(databasesUsed).containsExactlyInAnyOrder("main", "second");
  }

  @Test
  void redirectsFindLinksOnEitherPhysicalDatabase() {
    Set<String> databasesUsed = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      String target = "https://example.com/found/" + i;
      String code = shortenUrl(null, target);
      databasesUsed.add(EXPECTED.route(code).physicalDatabase());

      Http.Response redirect = http.get("/" + code);

      assertThat(redirect.status()).isEqualTo(301);
      assertThat(redirect.header("Location")).contains(target);
    }
    assertThat(databasesUsed).hasSize(2);
  }

  @Test
  void everyShardSchemaIsMigratedOnEveryPhysicalDatabase() throws SQLException {
    for (String database : List.of("main", "second")) {
      try (Connection connection = connect(database);
          ResultSet schemas =
              connection
                  .createStatement()
                  .executeQuery(
                      "SELECT count(*) FROM information_schema.tables"
                          + " WHERE table_schema LIKE 'shard\\_%' AND table_name IN"
                          + " ('links', 'click_rollups', 'click_batches_seen',"
                          + " 'flyway_schema_history')")) {
        schemas.next();
        assertThat(schemas.getInt(1)).as(database).isEqualTo(16 * 4);
      }
    }
  }

  @Test
  void listingMergesEveryShardNewestFirstAndPagesTheMergedResult() {
    String tag = unique("list");
    List<String> created = new ArrayList<>();
    Set<String> databasesUsed = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      Http.Response response =
          shorten(
              LISTER_KEY,
              fields("long_url", "https://example.com/listed/" + i, "tags", List.of(tag)));
      String code = (String) response.json().get("short_code");
      created.add(0, code);
      databasesUsed.add(EXPECTED.route(code).physicalDatabase());
    }
    assertThat(databasesUsed).hasSize(2);

    List<String> listed = new ArrayList<>();
    for (int page = 0; page < 3; page++) {
      Map<String, Object> body =
          http.get("/api/v1/urls?tag=" + tag + "&size=10&page=" + page, "X-API-Key", LISTER_KEY)
              .json();
      assertThat(body.get("total_items")).isEqualTo(25);
      assertThat(body.get("total_pages")).isEqualTo(3);
      listed.addAll(codes(body));
    }

    assertThat(listed).isEqualTo(created);
    Map<String, Object> beyond =
        http.get("/api/v1/urls?tag=" + tag + "&size=10&page=3", "X-API-Key", LISTER_KEY).json();
    assertThat(codes(beyond)).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static List<String> codes(Map<String, Object> page) {
    return ((List<Map<String, Object>>) page.get("items"))
        .stream().map(item -> (String) item.get("short_code")).toList();
  }

  private static String longUrlIn(String database, String schema, String code) throws SQLException {
    try (Connection connection = connect(database);
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT long_url FROM " + schema + ".links WHERE code = ?")) {
      query.setString(1, code);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  private static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), "postgres", "postgres");
  }
}
