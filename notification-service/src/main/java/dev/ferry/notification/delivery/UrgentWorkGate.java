package dev.ferry.notification.delivery;

import dev.ferry.notification.NotificationProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Lets urgent deliveries (critical and high) have the CPU: while a poll of urgent work is being
 * processed, a low-priority poll waits before it is processed, for at most {@code
 * workers.low-max-pause}, and goes ahead as soon as no urgent poll is in flight. Separate consumers
 * and call pools keep low from queueing in front of critical, but on a machine with few cores a low
 * backlog being delivered still competes with critical for the cores and for Postgres; this removes
 * most of that competition when it matters.
 *
 * <p>Low never starves: each low poll waits at most the bound, so under a continuous stream of
 * urgent work low still makes one poll per bound. Nothing is lost: the held poll's records are
 * processed once the wait ends, and their offsets are committed only after that, as before; the
 * bound stays far below the consumer's {@code max.poll.interval.ms}.
 *
 * <p>Thread-safe: urgent consumer threads call {@link #whileUrgent}, low consumer threads {@link
 * #awaitLowTurn}.
 */
@Component
class UrgentWorkGate {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition noUrgentWork = lock.newCondition();
  private final long maxPauseNanos;
  private final Counter heldPolls;

  /** Guarded by {@link #lock}. */
  private int urgentInFlight;

  @Autowired
  UrgentWorkGate(NotificationProperties properties, MeterRegistry registry) {
    this(properties.workers().lowMaxPause(), registry);
  }

  UrgentWorkGate(Duration maxPause, MeterRegistry registry) {
    this.maxPauseNanos = maxPause.toNanos();
    this.heldPolls =
        Counter.builder("notification.low.polls.held")
            .description("Low-priority polls held back because critical or high work was in flight")
            .register(registry);
  }

  /** Runs {@code work} (an urgent poll), holding low polls back while it runs. */
  void whileUrgent(Runnable work) {
    lock.lock();
    try {
      urgentInFlight++;
    } finally {
      lock.unlock();
    }
    try {
      work.run();
    } finally {
      lock.lock();
      try {
        if (--urgentInFlight == 0) {
          noUrgentWork.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Waits until no urgent poll is in flight, or at most the bound; called before a low poll is
   * processed. An interrupt ends the wait (the interrupt status is kept).
   *
   * @return whether it had to wait
   */
  boolean awaitLowTurn() {
    lock.lock();
    try {
      if (urgentInFlight == 0) {
        return false;
      }
      heldPolls.increment();
      long remaining = maxPauseNanos;
      while (urgentInFlight > 0 && remaining > 0) {
        remaining = noUrgentWork.awaitNanos(remaining);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } finally {
      lock.unlock();
    }
  }
}
