package dev.ferry.shortener.shard;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the physical shard databases: UP only when every one answers, since a link on a
 * database that is down can be neither created nor (on a cache miss) redirected. The readiness
 * group includes it, so Kubernetes stops routing to an instance that lost a shard.
 */
final class ShardHealthIndicator implements HealthIndicator {

  private static final int VALIDATION_TIMEOUT_SECONDS = 2;

  private final ShardedDatabases databases;

  ShardHealthIndicator(ShardedDatabases databases) {
    this.databases = databases;
  }

  @Override
  public Health health() {
    Map<String, String> states = new LinkedHashMap<>();
    boolean allUp = true;
    for (var entry : databases.dataSources().entrySet()) {
      String state;
      try (Connection connection = entry.getValue().getConnection()) {
        state = connection.isValid(VALIDATION_TIMEOUT_SECONDS) ? "UP" : "DOWN";
      } catch (Exception e) {
        state = "DOWN: " + e.getMessage();
      }
      allUp &= state.equals("UP");
      states.put(entry.getKey(), state);
    }
    return (allUp ? Health.up() : Health.down()).withDetails(states).build();
  }
}
