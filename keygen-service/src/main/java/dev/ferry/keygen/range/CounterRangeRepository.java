package dev.ferry.keygen.range;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims counter ranges from the single {@code keyspace} row (see {@code V1__keyspace.sql}).
 *
 * <p>A claim is one short transaction: lock the row, move {@code next_counter} forward by the range
 * size (capped at the keyspace size), record the range in the audit trail. Row locking serialises
 * concurrent claims of all instances, so ranges never overlap; a claim is durable once its
 * transaction commits, before any counter of it is used, so a crash can skip counters but never
 * hand one out twice.
 */
class CounterRangeRepository {

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  CounterRangeRepository(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /**
   * Creates the keyspace row on first start, or checks that the stored key fingerprint is the
   * configured one.
   *
   * @throws KeyMismatchException if the database was issued under another key
   */
  void initialise(long keyspaceSize, String keyFingerprint) {
    transactions.executeWithoutResult(
        status -> {
          jdbc.sql(
                  """
                  INSERT INTO keyspace (id, key_fingerprint, keyspace_size, next_counter)
                  VALUES (1, :fingerprint, :size, 0)
                  ON CONFLICT (id) DO NOTHING
                  """)
              .param("fingerprint", keyFingerprint)
              .param("size", keyspaceSize)
              .update();
          String stored =
              jdbc.sql("SELECT key_fingerprint FROM keyspace WHERE id = 1")
                  .query(String.class)
                  .single();
          if (!stored.equals(keyFingerprint)) {
            throw KeyMismatchException.of(stored, keyFingerprint);
          }
        });
  }

  /**
   * Claims up to {@code size} unclaimed counters for {@code instanceId}.
   *
   * @return the claimed range, shorter than {@code size} near the end of the keyspace, or empty
   *     once the keyspace is exhausted
   */
  Optional<CounterRange> claim(int size, String instanceId) {
    return transactions.execute(
        status -> {
          Optional<CounterRange> range =
              jdbc.sql(
                      """
                      WITH claimed AS (
                          SELECT next_counter AS start_counter FROM keyspace WHERE id = 1 FOR UPDATE
                      )
                      UPDATE keyspace k
                         SET next_counter = LEAST(c.start_counter + :size, k.keyspace_size),
                             ranges_claimed = k.ranges_claimed + 1,
                             updated_at = now()
                        FROM claimed c
                       WHERE k.id = 1 AND c.start_counter < k.keyspace_size
                      RETURNING c.start_counter, k.next_counter
                      """)
                  .param("size", size)
                  .query((row, n) -> new CounterRange(row.getLong(1), row.getLong(2)))
                  .optional();
          range.ifPresent(
              claimed ->
                  jdbc.sql(
                          """
                          INSERT INTO claimed_range (start_counter, end_counter, instance_id)
                          VALUES (:start, :end, :instance)
                          """)
                      .param("start", claimed.start())
                      .param("end", claimed.end())
                      .param("instance", instanceId)
                      .update());
          return range;
        });
  }

  KeyspaceState state() {
    return jdbc.sql("SELECT keyspace_size, next_counter, ranges_claimed FROM keyspace WHERE id = 1")
        .query((row, n) -> new KeyspaceState(row.getLong(1), row.getLong(2), row.getLong(3)))
        .single();
  }
}
