package dev.ferry.shortener.shard;

import dev.ferry.common.shard.ShardRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the shard schema migrations ({@code classpath:db/shard}) to every logical shard's schema
 * on every physical database.
 *
 * <p>Every schema exists on every physical database, not only on the database the map places it on:
 * moving a logical shard to another database is then a copy of its rows into a schema that is
 * already at the current version, and the map change can never point at a missing table. Each
 * schema has its own Flyway history table, so schemas migrate independently; physical databases
 * migrate in parallel. Flyway's own advisory lock makes concurrent start-ups of several instances
 * safe.
 */
final class ShardMigrations {

  private static final Logger log = LoggerFactory.getLogger(ShardMigrations.class);
  static final String LOCATION = "classpath:db/shard";

  private ShardMigrations() {}

  static void migrateAll(ShardedDatabases databases, int logicalShards) {
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    databases
        .dataSources()
        .forEach(
            (name, dataSource) ->
                runs.add(
                    CompletableFuture.runAsync(
                        () -> migrate(name, dataSource, logicalShards),
                        runnable -> new Thread(runnable, "shard-migrate-" + name).start())));
    try {
      CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private static void migrate(String physical, DataSource dataSource, int logicalShards) {
    int applied = 0;
    for (int shard = 0; shard < logicalShards; shard++) {
      String schema = ShardRouter.schemaOf(shard);
      applied +=
          Flyway.configure()
              .dataSource(dataSource)
              .schemas(schema)
              .defaultSchema(schema)
              .createSchemas(true)
              .locations(LOCATION)
              .load()
              .migrate()
              .migrationsExecuted;
    }
    log.info(
        "Shard schemas on '{}' are current: {} schemas checked, {} migrations applied",
        physical,
        logicalShards,
        applied);
  }
}
