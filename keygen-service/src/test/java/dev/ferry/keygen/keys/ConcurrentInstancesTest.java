package dev.ferry.keygen.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.keygen.KeygenTestSupport;
import dev.ferry.keygen.code.Base62Codes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

/**
 * Four whole keygen-services on one Postgres, each asked for codes by two clients at once: a
 * million codes between them and not one repeated.
 */
class ConcurrentInstancesTest {

  private static final int INSTANCES = 4;
  private static final int CLIENTS_PER_INSTANCE = 2;
  private static final int REQUESTS_PER_CLIENT = 13;
  private static final int BATCH = 10_000;

  private record Keys(List<String> keys) {}

  @Test
  void fourInstancesSharingOneDatabaseIssueAMillionCodesWithoutADuplicate() throws Exception {
    String database = KeygenTestSupport.freshDatabase("four_instances");
    List<ConfigurableApplicationContext> instances = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(INSTANCES * CLIENTS_PER_INSTANCE);
    try {
      for (int i = 0; i < INSTANCES; i++) {
        instances.add(
            KeygenTestSupport.startInstance(
                database,
                "ferry.keygen.instance-id=keygen-" + i,
                "ferry.keygen.range.size=20000",
                "ferry.keygen.buffer.capacity=30000",
                "ferry.keygen.buffer.low-watermark=10000"));
      }
      List<Future<long[]>> results = new ArrayList<>();
      for (ConfigurableApplicationContext instance : instances) {
        RestClient http = RestClient.create(KeygenTestSupport.baseUrl(instance));
        for (int c = 0; c < CLIENTS_PER_INSTANCE; c++) {
          results.add(clients.submit(() -> fetch(http)));
        }
      }
      long[] all =
          results.stream()
              .map(ConcurrentInstancesTest::join)
              .flatMapToLong(Arrays::stream)
              .toArray();

      assertThat(all).hasSizeGreaterThanOrEqualTo(1_000_000);
      Arrays.sort(all);
      for (int i = 1; i < all.length; i++) {
        assertThat(all[i]).as("a code was issued twice").isNotEqualTo(all[i - 1]);
      }
    } finally {
      clients.shutdownNow();
      instances.forEach(ConfigurableApplicationContext::close);
    }
  }

  /** Fetches codes, checks their shape, and keeps them as numbers to keep a million small. */
  private static long[] fetch(RestClient http) {
    long[] values = new long[REQUESTS_PER_CLIENT * BATCH];
    int n = 0;
    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
      Keys keys = http.post().uri("/api/v1/keys?count=" + BATCH).retrieve().body(Keys.class);
      assertThat(keys.keys()).hasSize(BATCH);
      for (String key : keys.keys()) {
        assertThat(key).matches("[0-9a-zA-Z]{7}");
        values[n++] = Base62Codes.parse(key);
      }
    }
    return values;
  }

  private static long[] join(Future<long[]> future) {
    try {
      return future.get();
    } catch (Exception e) {
      throw new AssertionError("a client failed", e);
    }
  }
}
