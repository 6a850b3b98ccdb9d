package dev.ferry.common.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Throttle throttle = new Throttle(Duration.ofSeconds(10), now::get);

  @Test
  void permitsTheFirstCallThenOnePerInterval() {
    assertThat(throttle.tryAcquire()).isTrue();
    assertThat(throttle.tryAcquire()).isFalse();

    now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
    assertThat(throttle.tryAcquire()).isFalse();
    now.addAndGet(1);
    assertThat(throttle.tryAcquire()).isTrue();
    assertThat(throttle.tryAcquire()).isFalse();
  }

  @Test
  void theIntervalRunsFromTheLastPermitNotFromTheLastCall() {
    assertThat(throttle.tryAcquire()).isTrue();
    now.addAndGet(Duration.ofSeconds(6).toNanos());
    assertThat(throttle.tryAcquire()).isFalse();
    now.addAndGet(Duration.ofSeconds(4).toNanos());
    assertThat(throttle.tryAcquire()).isTrue();
  }

  @Test
  void ofManyThreadsCallingAtOnceExactlyOneIsPermitted() throws Exception {
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return throttle.tryAcquire();
                }));
      }
      start.countDown();
      int permitted = 0;
      for (Future<Boolean> result : results) {
        permitted += result.get() ? 1 : 0;
      }
      assertThat(permitted).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesAnIntervalThatIsNotPositive() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Throttle(Duration.ZERO));
    assertThatIllegalArgumentException().isThrownBy(() -> new Throttle(Duration.ofSeconds(-1)));
  }
}
