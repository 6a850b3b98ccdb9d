package dev.ferry.notification.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import dev.ferry.notification.Priority;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A lane's pass reads only its own rank's rows, however many rows of another rank wait: with a
 * backlog of low rows, a pass of the critical lane must not walk them, and the other way round.
 * Checked on Postgres's plan for each lane's query while the outbox holds 20,000 rows of one rank
 * (inserted and analysed in a transaction that is rolled back, so the running relay never sees
 * them). The lane of the flooding rank itself may scan in id order: every row it meets is its own.
 */
class OutboxRelayPlanTest extends IntegrationTestBase {

  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;

  @ParameterizedTest
  @EnumSource(
      value = Priority.class,
      names = {"LOW", "CRITICAL"})
  void everyOtherLanesPassIsAnIndexRangeScanOfItsOwnRank(Priority flooding) {
    transactions.executeWithoutResult(
        status -> {
          jdbc.sql(
                  """
                  INSERT INTO outbox (topic, message_key, payload, priority_rank, created_at)
                  SELECT 'notifications.flood', 'k' || n, '{}', :rank, now()
                    FROM generate_series(1, 20000) AS n
                  """)
              .param("rank", flooding.rank())
              .update();
          jdbc.sql("ANALYZE outbox").update();
          for (Priority lane : Priority.values()) {
            if (lane == flooding) {
              continue;
            }
            List<String> plan =
                jdbc.sql("EXPLAIN " + OutboxRelay.passQuery(lane.rank()).replace("?", "500"))
                    .query(String.class)
                    .list();
            assertThat(String.join("\n", plan))
                .as("plan of the %s lane while %s floods", lane.wire(), flooding.wire())
                .contains("Index Scan using outbox_relay_order")
                .contains("Index Cond: (priority_rank = " + lane.rank() + ")")
                .doesNotContain("Filter:")
                .doesNotContain("Sort");
          }
          status.setRollbackOnly();
        });
  }
}
