package dev.ferry.shortener.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class SingleFlightTest {

  private final SingleFlight<String, String> flight = new SingleFlight<>();

  @Test
  void callersArrivingDuringALoadShareItsResult() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(9);
    try {
      Future<String> leader =
          pool.submit(
              () ->
                  flight.load(
                      "k",
                      key -> {
                        loads.incrementAndGet();
                        loading.countDown();
                        await(release);
                        return "value";
                      }));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
      List<Future<String>> followers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        followers.add(
            pool.submit(
                () ->
                    flight.load(
                        "k",
                        key -> {
                          loads.incrementAndGet();
                          return "second load";
                        })));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> flight.waiters("k") == followers.size());
      release.countDown();

      assertThat(leader.get()).isEqualTo("value");
      for (Future<String> follower : followers) {
        assertThat(follower.get()).isEqualTo("value");
      }
      assertThat(loads).hasValue(1);
      assertThat(flight.inFlight()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedLoadFailsItsWaitersAndTheNextCallTriesAgain() {
    assertThatThrownBy(
            () ->
                flight.load(
                    "k",
                    key -> {
                      throw new IllegalStateException("database down");
                    }))
        .hasMessage("database down");

    assertThat(flight.load("k", key -> "recovered")).isEqualTo("recovered");
    assertThat(flight.inFlight()).isZero();
  }

  @Test
  void differentKeysLoadIndependently() {
    assertThat(flight.load("a", key -> key + "!")).isEqualTo("a!");
    assertThat(flight.load("b", key -> key + "?")).isEqualTo("b?");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
