package dev.ferry.shortener.shard;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the links live: a fixed number of logical shards placed on named physical databases.
 *
 * <p>{@code logicalShards} is set once for the lifetime of the data: changing it would move almost
 * every code to another shard. Placement may change (move a whole schema, then edit {@code shards}
 * of the databases involved).
 *
 * @param logicalShards number of logical shards N; a code's shard is FNV-1a(code) mod N
 * @param databases physical databases by name, each listing the logical shards it holds
 */
@Validated
@ConfigurationProperties("ferry.shortener.sharding")
public record ShardProperties(
    @Min(1) @Max(1024) @DefaultValue("16") int logicalShards,
    @NotEmpty @Valid Map<String, Database> databases) {

  /**
   * One physical Postgres database.
   *
   * @param url JDBC URL
   * @param username user name
   * @param password password
   * @param shards logical shards placed here: numbers and inclusive ranges, e.g. {@code 0-7,12}
   * @param maxPoolSize most pooled connections to this database
   * @param connectionTimeoutMs longest a request waits for a connection; while the database is
   *     down, requests for its shards fail (503) after this long
   */
  public record Database(
      @NotBlank String url,
      @NotBlank @DefaultValue("postgres") String username,
      @DefaultValue("postgres") String password,
      @NotBlank String shards,
      @Min(1) @Max(200) @DefaultValue("10") int maxPoolSize,
      @Min(250) @Max(60_000) @DefaultValue("5000") int connectionTimeoutMs) {

    /** Keeps the password out of logs and failure reports. */
    @Override
    public String toString() {
      return "Database[url=" + url + ", username=" + username + ", shards=" + shards + "]";
    }
  }

  /** The placement as the shard map reads it: database name to its shard list. */
  public Map<String, String> placement() {
    Map<String, String> placement = new LinkedHashMap<>();
    databases.forEach((name, database) -> placement.put(name, database.shards()));
    return placement;
  }
}
