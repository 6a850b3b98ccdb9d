package dev.ferry.shortener.link;

import static dev.ferry.shortener.shard.ShardedDatabases.sql;

import dev.ferry.common.shard.ShardLocation;
import dev.ferry.shortener.shard.ShardedDatabases;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * SQL for idempotency keys. A key's row lives in the shard that {@code caller + "\n" + key} hashes
 * to (a newline cannot occur in either), so every instance finds it without knowing the link.
 *
 * <p>Thread-safe: stateless apart from the thread-safe {@link ShardedDatabases}.
 */
class IdempotencyRepository {

  /** One stored key: the request it was first used for and, once made, that request's link. */
  record Entry(String requestHash, String code, Instant createdAt) {}

  private static final String CLAIM =
      "INSERT INTO $shard.idempotency_keys (caller, key, request_hash, created_at)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (caller, key) DO NOTHING";
  private static final String FIND =
      "SELECT request_hash, code, created_at FROM $shard.idempotency_keys"
          + " WHERE caller = ? AND key = ?";
  private static final String COMPLETE =
      "UPDATE $shard.idempotency_keys SET code = ? WHERE caller = ? AND key = ?";
  private static final String RELEASE =
      "DELETE FROM $shard.idempotency_keys WHERE caller = ? AND key = ? AND code IS NULL";
  private static final String TAKE_OVER =
      "UPDATE $shard.idempotency_keys SET created_at = ?"
          + " WHERE caller = ? AND key = ? AND code IS NULL AND created_at = ?";
  private static final String PRUNE = "DELETE FROM $shard.idempotency_keys WHERE created_at < ?";

  private final ShardedDatabases databases;

  IdempotencyRepository(ShardedDatabases databases) {
    this.databases = databases;
  }

  /** Claims {@code key} for a new request; false if the caller has used it already. */
  boolean claim(String caller, IdempotencyKey key, String requestHash, Instant now) {
    ShardLocation shard = shard(caller, key);
    return databases
            .jdbc(shard)
            .update(sql(CLAIM, shard), caller, key.value(), requestHash, timestamp(now))
        == 1;
  }

  Optional<Entry> find(String caller, IdempotencyKey key) {
    ShardLocation shard = shard(caller, key);
    return databases
        .jdbc(shard)
        .query(
            sql(FIND, shard),
            (rs, row) ->
                new Entry(
                    rs.getString("request_hash"),
                    rs.getString("code"),
                    rs.getObject("created_at", OffsetDateTime.class).toInstant()),
            caller,
            key.value())
        .stream()
        .findFirst();
  }

  /** Records the link that the claiming request made. */
  void complete(String caller, IdempotencyKey key, String code) {
    ShardLocation shard = shard(caller, key);
    databases.jdbc(shard).update(sql(COMPLETE, shard), code, caller, key.value());
  }

  /** Gives up a claim whose request failed, so that a retry with the key can try again. */
  void release(String caller, IdempotencyKey key) {
    ShardLocation shard = shard(caller, key);
    databases.jdbc(shard).update(sql(RELEASE, shard), caller, key.value());
  }

  /**
   * Takes over the abandoned claim {@code entry} (its request's instance died before it finished);
   * false if another request took it over or completed it first.
   */
  boolean takeOver(String caller, IdempotencyKey key, Entry entry, Instant now) {
    ShardLocation shard = shard(caller, key);
    return databases
            .jdbc(shard)
            .update(
                sql(TAKE_OVER, shard),
                timestamp(now),
                caller,
                key.value(),
                timestamp(entry.createdAt()))
        == 1;
  }

  /** Forgets keys made before {@code cutoff}; returns how many. */
  int pruneBefore(Instant cutoff) {
    int pruned = 0;
    for (ShardLocation shard : databases.allShards()) {
      pruned += databases.jdbc(shard).update(sql(PRUNE, shard), timestamp(cutoff));
    }
    return pruned;
  }

  private ShardLocation shard(String caller, IdempotencyKey key) {
    return databases.route(caller + "\n" + key.value());
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
