package dev.ferry.shortener.shard;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.common.shard.ShardLocation;
import dev.ferry.common.shard.ShardRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The shard facade the other features use: routes a code to its {@link ShardLocation} and hands out
 * the {@link JdbcTemplate} and {@link TransactionTemplate} of the physical database that holds it.
 *
 * <p>SQL against a shard names the table with the location's schema ({@code shard_07.links}); the
 * schema name is generated from the shard number, never from input, so concatenating it is safe.
 * {@link #sql(String, ShardLocation)} does the substitution.
 *
 * <p>Thread-safe: immutable after construction; the pools are thread-safe.
 */
public final class ShardedDatabases implements AutoCloseable {

  /** Placeholder for the shard's schema in SQL templates. */
  public static final String SHARD = "$shard";

  private final ShardRouter router;
  private final Map<String, HikariDataSource> dataSources;
  private final Map<String, JdbcTemplate> jdbcTemplates = new TreeMap<>();
  private final Map<String, TransactionTemplate> transactionTemplates = new TreeMap<>();

  ShardedDatabases(ShardRouter router, Map<String, HikariDataSource> dataSources) {
    this.router = Objects.requireNonNull(router, "router");
    this.dataSources = Map.copyOf(dataSources);
    if (!dataSources.keySet().equals(router.map().physicalDatabases())) {
      throw new IllegalArgumentException(
          "data sources "
              + dataSources.keySet()
              + " do not match the shard map's databases "
              + router.map().physicalDatabases());
    }
    dataSources.forEach(
        (name, dataSource) -> {
          jdbcTemplates.put(name, new JdbcTemplate(dataSource));
          transactionTemplates.put(
              name, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
        });
  }

  /** Where {@code code}'s row lives. */
  public ShardLocation route(String code) {
    return router.route(code);
  }

  /** Every logical shard with its location, in shard order. */
  public List<ShardLocation> allShards() {
    List<ShardLocation> shards = new ArrayList<>();
    for (int shard = 0; shard < router.map().logicalShards(); shard++) {
      shards.add(router.locationOf(shard));
    }
    return shards;
  }

  /** Names of the physical databases, sorted. */
  public List<String> physicalDatabases() {
    return List.copyOf(router.map().physicalDatabases());
  }

  /** The logical shards placed on {@code physical}, as locations. */
  public List<ShardLocation> shardsOn(String physical) {
    return router.map().logicalShardsOn(physical).stream().map(router::locationOf).toList();
  }

  public JdbcTemplate jdbc(ShardLocation location) {
    return jdbc(location.physicalDatabase());
  }

  public JdbcTemplate jdbc(String physical) {
    return Objects.requireNonNull(jdbcTemplates.get(physical), physical);
  }

  public TransactionTemplate transactions(ShardLocation location) {
    return Objects.requireNonNull(
        transactionTemplates.get(location.physicalDatabase()), location.physicalDatabase());
  }

  /** {@code template} with every {@link #SHARD} replaced by the location's schema. */
  public static String sql(String template, ShardLocation location) {
    return template.replace(SHARD, location.schema());
  }

  Map<String, HikariDataSource> dataSources() {
    return dataSources;
  }

  @Override
  public void close() {
    dataSources.values().forEach(HikariDataSource::close);
  }
}
