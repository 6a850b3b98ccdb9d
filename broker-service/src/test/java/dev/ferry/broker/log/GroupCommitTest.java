package dev.ferry.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link GroupCommit} against a reference model. The model of durability is one number: the largest
 * end offset any finished flush captured. A waiter must be completed exactly when its end offset is
 * at most that number, never earlier (the guarantee) and, once the flush queue is drained, never
 * later (liveness). Random schedules interleave appends, appends that land while an fsync runs,
 * flushes and completions, all on hand-driven executors so that every step is checked.
 */
class GroupCommitTest {

  /** A log whose "disk" lags its end until a flush; flushes can let appends land meanwhile. */
  private static final class FakeLog implements GroupCommit.Flusher {
    long endOffset;
    long diskOffset;
    int flushes;
    Runnable duringFsync = () -> {};

    @Override
    public long flush() {
      long target = endOffset;
      duringFsync.run();
      diskOffset = Math.max(diskOffset, target);
      flushes++;
      return target;
    }
  }

  private record Waiter(long endOffset, CompletableFuture<Void> future) {}

  private final ArrayDeque<Runnable> flushQueue = new ArrayDeque<>();
  private final ArrayDeque<Runnable> completionQueue = new ArrayDeque<>();
  private final FakeLog log = new FakeLog();
  private final List<Waiter> waiters = new ArrayList<>();
  private final GroupCommit groupCommit =
      new GroupCommit(log, 0, flushQueue::add, completionQueue::add);

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void completesEveryWaiterExactlyWhenAFlushCoveredIt(long seed) {
    Random random = new Random(seed);
    log.duringFsync =
        () -> {
          for (int i = random.nextInt(4); i > 0; i--) {
            appendAndAwait(1 + random.nextInt(5));
          }
        };
    long modelDurable = 0;
    for (int step = 0; step < 5_000; step++) {
      int action = random.nextInt(10);
      if (action < 5) {
        appendAndAwait(1 + random.nextInt(5));
      } else if (action < 8 && !flushQueue.isEmpty()) {
        long captured = log.endOffset;
        flushQueue.poll().run();
        modelDurable = Math.max(modelDurable, captured);
      } else if (!completionQueue.isEmpty()) {
        completionQueue.poll().run();
      }
      assertThat(flushQueue).as("at most one flush queued per log").hasSizeLessThanOrEqualTo(1);
      assertThat(groupCommit.durableOffset()).isEqualTo(modelDurable);
      assertCompletedOnlyWhenDurable();
    }
    drain();
    assertThat(waiters).allSatisfy(waiter -> assertThat(waiter.future()).isCompleted());
    assertThat(groupCommit.durableOffset()).isEqualTo(log.endOffset);
    assertThat(log.flushes).isLessThan(waiters.size());
  }

  @Test
  void oneFsyncCoversEveryAppendThatArrivedWhileThePreviousRan() {
    log.duringFsync =
        () -> {
          log.duringFsync = () -> {};
          for (int i = 0; i < 100; i++) {
            appendAndAwait(1);
          }
        };
    appendAndAwait(1);
    drain();
    assertThat(waiters).hasSize(101).allSatisfy(w -> assertThat(w.future()).isCompleted());
    assertThat(log.flushes).isEqualTo(2);
  }

  @Test
  void answersAtOnceWhenAlreadyDurable() {
    GroupCommit recovered = new GroupCommit(log, 10, flushQueue::add, completionQueue::add);

    assertThat(recovered.awaitDurable(10)).isCompleted();
    assertThat(flushQueue).isEmpty();
  }

  @Test
  void failsEveryWaiterWhenTheFsyncFailsAndFlushesAgainForLaterOnes() {
    GroupCommit failing =
        new GroupCommit(
            () -> {
              throw new IOException("disk gone");
            },
            0,
            flushQueue::add,
            completionQueue::add);
    CompletableFuture<Void> first = failing.awaitDurable(1);
    CompletableFuture<Void> second = failing.awaitDurable(2);
    drain();

    assertThatThrownBy(first::get).hasCauseInstanceOf(IOException.class);
    assertThatThrownBy(second::get).hasCauseInstanceOf(IOException.class);
    assertThat(failing.awaitDurable(3)).isNotDone();
    assertThat(flushQueue).hasSize(1);
  }

  @Test
  void concurrentDurableAppendsAreAllAcknowledgedAfterTheirFsyncWithFewerFsyncs() throws Exception {
    Object appendLock = new Object();
    long[] end = {0};
    long[] disk = {0};
    AtomicInteger fsyncs = new AtomicInteger();
    ExecutorService flusher = Executors.newFixedThreadPool(2);
    ExecutorService completer = Executors.newSingleThreadExecutor();
    ExecutorService producers = Executors.newFixedThreadPool(16);
    GroupCommit.Flusher fsync =
        () -> {
          long target;
          synchronized (appendLock) {
            target = end[0];
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
          synchronized (appendLock) {
            disk[0] = Math.max(disk[0], target);
          }
          fsyncs.incrementAndGet();
          return target;
        };
    GroupCommit concurrent = new GroupCommit(fsync, 0, flusher, completer);
    List<CompletableFuture<Boolean>> acks = new ArrayList<>();
    try {
      List<CompletableFuture<CompletableFuture<Boolean>>> submitted = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        submitted.add(
            CompletableFuture.supplyAsync(
                () -> {
                  long endOffset;
                  synchronized (appendLock) {
                    endOffset = ++end[0];
                  }
                  return concurrent
                      .awaitDurable(endOffset)
                      .thenApply(
                          ignored -> {
                            synchronized (appendLock) {
                              return disk[0] >= endOffset;
                            }
                          });
                },
                producers));
      }
      for (CompletableFuture<CompletableFuture<Boolean>> future : submitted) {
        acks.add(future.get(60, TimeUnit.SECONDS));
      }
      for (CompletableFuture<Boolean> ack : acks) {
        assertThat(ack.get(60, TimeUnit.SECONDS)).as("acknowledged only once on disk").isTrue();
      }
    } finally {
      producers.shutdownNow();
      flusher.shutdownNow();
      completer.shutdownNow();
    }
    assertThat(fsyncs.get()).isLessThan(acks.size());
  }

  private void appendAndAwait(int records) {
    log.endOffset += records;
    long endOffset = log.endOffset;
    waiters.add(new Waiter(endOffset, groupCommit.awaitDurable(endOffset)));
  }

  /** Completions run in steps of their own, which leave the disk offset as it was. */
  private void assertCompletedOnlyWhenDurable() {
    for (Waiter waiter : waiters) {
      if (waiter.future().isDone()) {
        assertThat(waiter.endOffset())
            .as("completed before its records were on disk")
            .isLessThanOrEqualTo(log.diskOffset);
      }
    }
  }

  private void drain() {
    while (!flushQueue.isEmpty() || !completionQueue.isEmpty()) {
      Runnable next = flushQueue.isEmpty() ? completionQueue.poll() : flushQueue.poll();
      next.run();
    }
  }
}
