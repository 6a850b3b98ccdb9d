package dev.ferry.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The low gate by behaviour: which thread may go on when, observed through thread states and
 * latches, never through elapsed time.
 */
class UrgentWorkGateTest {

  /** Longer than any test run, so only the end of the urgent work can release the low poll. */
  private static final Duration NEVER = Duration.ofSeconds(59);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aLowPollGoesAheadAtOnceWhenNoUrgentWorkIsInFlight() {
    UrgentWorkGate gate = new UrgentWorkGate(NEVER, registry);

    assertThat(gate.awaitLowTurn()).isFalse();
    gate.whileUrgent(() -> {});
    assertThat(gate.awaitLowTurn()).isFalse();
    assertThat(registry.counter("notification.low.polls.held").count()).isZero();
  }

  @Test
  void aLowPollIsHeldWhileCriticalWorkIsInFlightAndResumesRightAfter() throws Exception {
    UrgentWorkGate gate = new UrgentWorkGate(NEVER, registry);
    Urgent critical = Urgent.start(gate);
    AtomicBoolean lowProcessed = new AtomicBoolean();
    Thread low = startLowPoll(gate, lowProcessed);

    awaitWaiting(low);
    assertThat(lowProcessed).isFalse();

    critical.finish();
    low.join();
    assertThat(lowProcessed).isTrue();
    assertThat(registry.counter("notification.low.polls.held").count()).isEqualTo(1);
  }

  @Test
  void aLowPollWaitsForEveryUrgentPollInFlight() throws Exception {
    UrgentWorkGate gate = new UrgentWorkGate(NEVER, registry);
    Urgent critical = Urgent.start(gate);
    Urgent high = Urgent.start(gate);
    AtomicBoolean lowProcessed = new AtomicBoolean();
    Thread low = startLowPoll(gate, lowProcessed);
    awaitWaiting(low);

    critical.finish();
    // Still held by the high poll: the low thread goes back to waiting, not on.
    awaitWaiting(low);
    assertThat(lowProcessed).isFalse();

    high.finish();
    low.join();
    assertThat(lowProcessed).isTrue();
  }

  @Test
  void lowNeverStarvesTheWaitIsBounded() throws Exception {
    UrgentWorkGate gate = new UrgentWorkGate(Duration.ofMillis(1), registry);
    Urgent endless = Urgent.start(gate);

    // Urgent work never ends here, yet every low poll gets its turn after the bound.
    for (int poll = 0; poll < 3; poll++) {
      assertThat(gate.awaitLowTurn()).isTrue();
    }
    assertThat(registry.counter("notification.low.polls.held").count()).isEqualTo(3);
    endless.finish();
  }

  @Test
  void urgentWorkThatThrowsStillReleasesTheGate() {
    UrgentWorkGate gate = new UrgentWorkGate(NEVER, registry);
    try {
      gate.whileUrgent(
          () -> {
            throw new IllegalStateException("Postgres failed");
          });
    } catch (IllegalStateException expected) {
      // the poll is redelivered by the container
    }
    assertThat(gate.awaitLowTurn()).isFalse();
  }

  /** A low poll on a thread of its own that sets {@code processed} once the gate lets it go on. */
  private static Thread startLowPoll(UrgentWorkGate gate, AtomicBoolean processed) {
    Thread low =
        new Thread(
            () -> {
              gate.awaitLowTurn();
              processed.set(true);
            });
    low.start();
    return low;
  }

  private static void awaitWaiting(Thread thread) throws InterruptedException {
    while (thread.getState() != Thread.State.TIMED_WAITING) {
      assertThat(thread.isAlive()).as("the low thread went on instead of waiting").isTrue();
      Thread.sleep(1);
    }
  }

  /** An urgent poll in flight on its own thread until {@link #finish}. */
  private record Urgent(CountDownLatch release, CompletableFuture<Void> done) {

    static Urgent start(UrgentWorkGate gate) throws InterruptedException {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> done =
          CompletableFuture.runAsync(
              () ->
                  gate.whileUrgent(
                      () -> {
                        started.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }),
              runnable -> new Thread(runnable).start());
      started.await();
      return new Urgent(release, done);
    }

    void finish() {
      release.countDown();
      done.join();
    }
  }
}
