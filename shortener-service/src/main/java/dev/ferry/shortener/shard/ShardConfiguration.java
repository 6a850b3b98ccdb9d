package dev.ferry.shortener.shard;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.common.shard.ShardMap;
import dev.ferry.common.shard.ShardRouter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ShardConfiguration {

  /**
   * Opens a pool per physical database and migrates every shard schema before any other bean can
   * reach a shard, so a started service always has its tables.
   */
  @Bean(destroyMethod = "close")
  ShardedDatabases shardedDatabases(ShardProperties properties) {
    ShardRouter router =
        new ShardRouter(ShardMap.of(properties.logicalShards(), properties.placement()));
    Map<String, HikariDataSource> pools = new LinkedHashMap<>();
    properties.databases().forEach((name, database) -> pools.put(name, pool(name, database)));
    ShardedDatabases databases = new ShardedDatabases(router, pools);
    try {
      ShardMigrations.migrateAll(databases, properties.logicalShards());
    } catch (RuntimeException e) {
      databases.close();
      throw e;
    }
    return databases;
  }

  @Bean
  ShardHealthIndicator shardsHealthIndicator(ShardedDatabases databases) {
    return new ShardHealthIndicator(databases);
  }

  private static HikariDataSource pool(String name, ShardProperties.Database database) {
    HikariDataSource pool = new HikariDataSource();
    pool.setPoolName("shard-" + name);
    pool.setJdbcUrl(database.url());
    pool.setUsername(database.username());
    pool.setPassword(database.password());
    pool.setMaximumPoolSize(database.maxPoolSize());
    pool.setMinimumIdle(Math.min(2, database.maxPoolSize()));
    pool.setConnectionTimeout(database.connectionTimeoutMs());
    return pool;
  }
}
