package dev.ferry.keygen.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.testkit.EmbeddedPostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The Leaf-style double buffer against a real Postgres migrated by Flyway. */
class SegmentedCounterTest {

  private static final long KEYSPACE = 3_521_614_606_208L;

  private final ExecutorService prefetcher = Executors.newSingleThreadExecutor();
  private JdbcClient jdbc;
  private CounterRangeRepository repository;

  @BeforeEach
  void migrateFreshDatabase() {
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.shared();
    DataSource dataSource = postgres.dataSource(postgres.createDatabase("segments"));
    Flyway.configure().dataSource(dataSource).load().migrate();
    jdbc = JdbcClient.create(dataSource);
    repository =
        new CounterRangeRepository(
            jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    repository.initialise(KEYSPACE, "fingerprint-a");
  }

  @AfterEach
  void stopPrefetcher() {
    prefetcher.shutdownNow();
  }

  private SegmentedCounter counter(int rangeSize, String instance) {
    return new SegmentedCounter(
        repository, rangeSize, 0.25, instance, prefetcher, new SimpleMeterRegistry());
  }

  @Test
  void handsOutTheCountersOfAClaimedRangeInOrderAndOnce() {
    SegmentedCounter counter = counter(100, "a");

    assertThat(counter.take(30)).isEqualTo(new CounterRange(0, 30));
    assertThat(counter.take(30)).isEqualTo(new CounterRange(30, 60));
    assertThat(counter.take(1000))
        .as("a block never crosses a range")
        .isEqualTo(new CounterRange(60, 100));
  }

  @Test
  void claimsTheNextRangeInTheBackgroundBeforeTheCurrentRunsOut() {
    SegmentedCounter counter = counter(100, "a");
    counter.take(80);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(repository.state().rangesClaimed()).isEqualTo(2));
    assertThat(counter.take(20)).isEqualTo(new CounterRange(80, 100));
    assertThat(counter.take(5)).isEqualTo(new CounterRange(100, 105));
  }

  @Test
  void instancesSharingADatabaseNeverGetOverlappingRanges() throws Exception {
    List<SegmentedCounter> instances =
        List.of(counter(50, "a"), counter(50, "b"), counter(50, "c"));
    List<CounterRange> blocks = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<List<CounterRange>>> futures = new ArrayList<>();
      for (SegmentedCounter instance : instances) {
        futures.add(
            threads.submit(
                () -> {
                  List<CounterRange> taken = new ArrayList<>();
                  for (int i = 0; i < 200; i++) {
                    taken.add(instance.take(7));
                  }
                  return taken;
                }));
      }
      for (var future : futures) {
        blocks.addAll(future.get());
      }
    } finally {
      threads.shutdownNow();
    }

    long[] counters =
        blocks.stream()
            .flatMapToLong(b -> java.util.stream.LongStream.range(b.start(), b.end()))
            .sorted()
            .toArray();
    assertThat(counters).doesNotHaveDuplicates();
    assertThat(
            jdbc.sql("SELECT count(DISTINCT instance_id) FROM claimed_range")
                .query(Long.class)
                .single())
        .isEqualTo(3);
  }

  @Test
  void refusesOnceTheKeyspaceIsExhaustedAndStaysExhausted() {
    jdbc.sql("UPDATE keyspace SET next_counter = keyspace_size - 30").update();
    SegmentedCounter counter = counter(100, "a");

    assertThat(counter.take(100)).isEqualTo(new CounterRange(KEYSPACE - 30, KEYSPACE));
    assertThatThrownBy(() -> counter.take(1)).isInstanceOf(KeyspaceExhaustedException.class);
    assertThatThrownBy(() -> counter.take(1)).isInstanceOf(KeyspaceExhaustedException.class);
    assertThat(repository.state().nextCounter()).isEqualTo(KEYSPACE);
  }

  @Test
  void refusesAKeyOtherThanTheOneTheKeyspaceWasIssuedUnder() {
    assertThatThrownBy(() -> repository.initialise(KEYSPACE, "fingerprint-b"))
        .isInstanceOf(KeyMismatchException.class)
        .hasMessageContaining("fingerprint-a");
    repository.initialise(KEYSPACE, "fingerprint-a");
  }
}
