package dev.ferry.notification.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group commit of single sends against a reference model: a "store" that applies a batch all or
 * nothing, as a Postgres transaction does. Checked: an item is acknowledged only after the batch
 * holding it was stored; a batch that fails stores nothing and its items are retried alone, so only
 * the bad one fails; nothing is stored twice or lost; back-pressure and shutdown.
 */
class GroupCommitterTest {

  /** Items the store refuses: any batch holding one fails as a whole, storing nothing. */
  private static final int POISON_EVERY = 37;

  private final Set<Integer> stored = ConcurrentHashMap.newKeySet();
  private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
  private GroupCommitter<Integer, String> committer;

  @AfterEach
  void close() {
    if (committer != null) {
      committer.close();
    }
  }

  /** The model's transaction: all items of the batch, or none if one is poison. */
  private List<String> store(List<Integer> batch) {
    batches.add(List.copyOf(batch));
    if (batch.stream().anyMatch(GroupCommitterTest::poison)) {
      throw new IllegalArgumentException("poison in " + batch);
    }
    for (Integer item : batch) {
      assertThat(stored.add(item)).as("item %s stored twice", item).isTrue();
    }
    return batch.stream().map(item -> "ok-" + item).toList();
  }

  private static boolean poison(int item) {
    return item % POISON_EVERY == 0;
  }

  @Test
  void everyItemIsAcknowledgedAfterItsBatchWasStoredAndOnlyBadItemsFail() throws Exception {
    committer = new GroupCommitter<>("test", 2, 16, 100_000, this::store, e -> true, size -> {});
    int threads = 8;
    int perThread = 500;
    ExecutorService submitters = Executors.newFixedThreadPool(threads);
    Map<Integer, CompletableFuture<String>> acknowledged = new ConcurrentHashMap<>();
    List<String> violations = new CopyOnWriteArrayList<>();
    Random random = new Random(42);
    List<Integer> items = new ArrayList<>();
    for (int i = 1; i <= threads * perThread; i++) {
      items.add(i);
    }
    Collections.shuffle(items, random);
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      List<Integer> mine = items.subList(t * perThread, (t + 1) * perThread);
      submitters.execute(
          () -> {
            for (Integer item : mine) {
              CompletableFuture<String> result = committer.submit(item);
              // Runs when the result is set: the item must be stored by then (or fail, if bad).
              result.whenComplete(
                  (value, error) -> {
                    if (error == null && !stored.contains(item)) {
                      violations.add(item + " acknowledged before it was stored");
                    }
                  });
              acknowledged.put(item, result);
            }
            done.countDown();
          });
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    submitters.shutdown();

    for (Integer item : items) {
      CompletableFuture<String> result = acknowledged.get(item);
      if (poison(item)) {
        assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(IllegalArgumentException.class);
      } else {
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("ok-" + item);
      }
    }
    assertThat(violations).isEmpty();
    assertThat(stored)
        .containsExactlyInAnyOrderElementsOf(items.stream().filter(i -> !poison(i)).toList());
    assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 16));
  }

  @Test
  void itemsArrivingWhileABatchCommitsShareTheNextTransaction() throws Exception {
    Hold firstBatch = new Hold();
    Function<List<Integer>, List<String>> slowFirst =
        batch -> {
          if (batches.isEmpty()) {
            firstBatch.enterAndWait();
          }
          return store(batch);
        };
    committer = new GroupCommitter<>("test", 1, 100, 1000, slowFirst, e -> true, size -> {});

    CompletableFuture<String> first = committer.submit(1);
    firstBatch.awaitEntered();
    List<CompletableFuture<String>> waiting = new ArrayList<>();
    for (int i = 2; i <= 11; i++) {
      waiting.add(committer.submit(i));
    }
    assertThat(first).as("acknowledged before its transaction finished").isNotDone();
    assertThat(waiting).noneMatch(CompletableFuture::isDone);

    firstBatch.release();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("ok-1");
    for (CompletableFuture<String> result : waiting) {
      result.get(10, TimeUnit.SECONDS);
    }
    assertThat(batches).containsExactly(List.of(1), List.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
  }

  @Test
  void aFailedBatchIsRetriedItemByItemSoOnlyTheBadItemFails() throws Exception {
    Hold firstBatch = new Hold();
    committer =
        new GroupCommitter<>(
            "test",
            1,
            100,
            1000,
            batch -> {
              if (batch.contains(3)) {
                firstBatch.enterAndWait();
              }
              return store(batch);
            },
            e -> true,
            size -> {});

    CompletableFuture<String> holder = committer.submit(3);
    firstBatch.awaitEntered();
    CompletableFuture<String> before = committer.submit(36);
    CompletableFuture<String> bad = committer.submit(POISON_EVERY);
    CompletableFuture<String> after = committer.submit(38);
    firstBatch.release();

    assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("ok-3");
    assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo("ok-36");
    assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("ok-38");
    assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThat(batches)
        .containsExactly(
            List.of(3),
            List.of(36, POISON_EVERY, 38),
            List.of(36),
            List.of(POISON_EVERY),
            List.of(38));
    assertThat(stored).containsExactlyInAnyOrder(3, 36, 38);
  }

  @Test
  void aFailureThatIsNoItemsFaultFailsTheWholeBatchWithoutRetries() throws Exception {
    Hold firstBatch = new Hold();
    committer =
        new GroupCommitter<>(
            "test",
            1,
            100,
            1000,
            batch -> {
              if (batch.contains(3)) {
                firstBatch.enterAndWait();
                return store(batch);
              }
              batches.add(List.copyOf(batch));
              throw new IllegalStateException("database unreachable");
            },
            e -> !(e instanceof IllegalStateException),
            size -> {});

    CompletableFuture<String> holder = committer.submit(3);
    firstBatch.awaitEntered();
    List<CompletableFuture<String>> waiting =
        List.of(committer.submit(4), committer.submit(5), committer.submit(6));
    firstBatch.release();

    assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("ok-3");
    for (CompletableFuture<String> result : waiting) {
      assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class);
    }
    assertThat(batches).containsExactly(List.of(3), List.of(4, 5, 6));
    assertThat(stored).containsExactly(3);
  }

  @Test
  void refusesItemsBeyondItsCapacityAndAfterClose() throws Exception {
    Hold firstBatch = new Hold();
    committer =
        new GroupCommitter<>(
            "test",
            1,
            100,
            2,
            batch -> {
              firstBatch.enterAndWait();
              return store(batch);
            },
            e -> true,
            size -> {});
    CompletableFuture<String> inFlight = committer.submit(1);
    firstBatch.awaitEntered();
    CompletableFuture<String> queuedA = committer.submit(2);
    CompletableFuture<String> queuedB = committer.submit(3);
    assertThatThrownBy(() -> committer.submit(4)).isInstanceOf(RejectedExecutionException.class);

    Thread closer = new Thread(committer::close);
    closer.start();
    while (closer.getState() != Thread.State.WAITING && closer.isAlive()) {
      Thread.onSpinWait();
    }
    assertThatThrownBy(() -> committer.submit(5)).isInstanceOf(RejectedExecutionException.class);
    firstBatch.release();
    closer.join(10_000);

    assertThat(closer.isAlive()).isFalse();
    assertThat(inFlight).isCompletedWithValue("ok-1");
    assertThat(queuedA).as("queued before close, stored by the drain").isCompletedWithValue("ok-2");
    assertThat(queuedB).isCompletedWithValue("ok-3");
    assertThat(stored).containsExactlyInAnyOrder(1, 2, 3);
  }

  /** The batch that holds the committer: entered, then waiting until released. */
  private static final class Hold {

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** Called by the batch function: signals it began, then waits for {@link #release}. */
    void enterAndWait() {
      entered.countDown();
      await(released);
    }

    void awaitEntered() throws InterruptedException {
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    }

    void release() {
      released.countDown();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
