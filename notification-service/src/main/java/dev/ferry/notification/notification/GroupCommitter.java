package dev.ferry.notification.notification;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: coalesces items submitted concurrently by many threads into batches, each handled
 * by one call of a batch handler (one Postgres transaction), like a database's group commit of its
 * log. A submitter gets a future that completes only after the handler call that held its item
 * returned, that is after the batch's transaction committed, so an acknowledgement still means
 * durable; meanwhile the submitting thread is free.
 *
 * <p>Batching: each of {@code threads} committer threads takes the oldest waiting item, adds
 * whatever else is waiting (up to {@code maxBatch} items) and calls the handler. An idle queue
 * costs one item one hand-over (no waiting for a batch to fill); under load a batch holds what
 * arrived while the previous one committed, so the cost per transaction is shared by more items the
 * busier it gets. With several committers one batch is being prepared while another commits.
 *
 * <p>Failure: if the handler throws for a batch of several items and {@code retryAlone} says the
 * failure may be an item's fault (bad data rather than an unreachable database), each item is
 * handed to the handler again alone, so an item that cannot be stored fails only its own request
 * and the others are stored. The handler must therefore throw only when it stored nothing (its
 * transaction rolled back); an item retried alone may repeat side effects made before the
 * transaction, which is why those must be harmless to repeat. Any other failure fails every item of
 * the batch at once with that exception: retrying items one by one against a database that is down
 * would only hold the committer for the connection timeout once per item.
 *
 * <p>Back-pressure and shutdown: at most {@code capacity} items wait; {@link #submit} fails with
 * {@link RejectedExecutionException} beyond that and after {@link #close}. {@code close} lets the
 * committers handle every item accepted before it, then stops them.
 *
 * <p>Thread-safety: {@link #submit} may be called from any thread. The read lock makes the
 * closed-check and the enqueue one step with respect to {@link #close}, which takes the write lock,
 * so no item can be enqueued after the committers were told to drain and stop.
 *
 * @param <I> a submitted item
 * @param <R> the result for one item
 */
final class GroupCommitter<I, R> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
  private static final long IDLE_POLL_MILLIS = 100;

  private final Function<List<I>, List<R>> handler;
  private final Predicate<RuntimeException> retryAlone;
  private final Consumer<Integer> batchSizes;
  private final int maxBatch;
  private final BlockingQueue<Pending<I, R>> queue;
  private final ReadWriteLock closing = new ReentrantReadWriteLock();
  private final List<Thread> committers = new ArrayList<>();

  /** Guarded by {@link #closing}'s write lock for writes; volatile for the committers' reads. */
  private volatile boolean closed;

  /**
   * Starts the committer threads.
   *
   * @param handler stores a batch and returns one result per item, in order; called on a committer
   *     thread, never concurrently for the same items
   * @param retryAlone whether a failure of a batch may be the fault of one of its items, so that
   *     its items are retried one by one
   * @param batchSizes told the size of every batch handed to the handler (for a metric)
   */
  GroupCommitter(
      String name,
      int threads,
      int maxBatch,
      int capacity,
      Function<List<I>, List<R>> handler,
      Predicate<RuntimeException> retryAlone,
      Consumer<Integer> batchSizes) {
    if (threads < 1 || maxBatch < 1 || capacity < 1) {
      throw new IllegalArgumentException(
          "threads, maxBatch and capacity must be positive: "
              + threads
              + ", "
              + maxBatch
              + ", "
              + capacity);
    }
    this.handler = Objects.requireNonNull(handler);
    this.retryAlone = Objects.requireNonNull(retryAlone);
    this.batchSizes = Objects.requireNonNull(batchSizes);
    this.maxBatch = maxBatch;
    this.queue = new LinkedBlockingQueue<>(capacity);
    for (int i = 0; i < threads; i++) {
      Thread thread = new Thread(this::commitLoop, name + "-" + i);
      thread.setDaemon(true);
      committers.add(thread);
      thread.start();
    }
  }

  /**
   * Queues {@code item} for the next batch.
   *
   * @return completes with the item's result once its batch committed, or exceptionally with what
   *     the handler threw for it
   * @throws RejectedExecutionException if {@code capacity} items are waiting or this is closed
   */
  CompletableFuture<R> submit(I item) {
    Pending<I, R> pending = new Pending<>(Objects.requireNonNull(item), new CompletableFuture<>());
    closing.readLock().lock();
    try {
      if (closed) {
        throw new RejectedExecutionException("shutting down");
      }
      if (!queue.offer(pending)) {
        throw new RejectedExecutionException(queue.size() + " items are waiting already");
      }
    } finally {
      closing.readLock().unlock();
    }
    return pending.result();
  }

  /** Items waiting for a committer. */
  int waiting() {
    return queue.size();
  }

  /** Handles every item submitted before this call, then stops the committers. */
  @Override
  public void close() {
    closing.writeLock().lock();
    try {
      closed = true;
    } finally {
      closing.writeLock().unlock();
    }
    for (Thread committer : committers) {
      try {
        committer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void commitLoop() {
    while (true) {
      Pending<I, R> first;
      try {
        first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (first == null) {
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      List<Pending<I, R>> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
      batch.add(first);
      queue.drainTo(batch, maxBatch - 1);
      commit(batch);
    }
  }

  private void commit(List<Pending<I, R>> batch) {
    batchSizes.accept(batch.size());
    try {
      List<R> results = handler.apply(batch.stream().map(Pending::item).toList());
      if (results.size() != batch.size()) {
        throw new IllegalStateException(
            "handler returned " + results.size() + " results for " + batch.size() + " items");
      }
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(results.get(i));
      }
    } catch (RuntimeException e) {
      if (batch.size() == 1 || !retryAlone.test(e)) {
        batch.forEach(pending -> pending.result().completeExceptionally(e));
        return;
      }
      log.warn(
          "A batch of {} failed; storing its items one by one: {}", batch.size(), e.toString());
      for (Pending<I, R> pending : batch) {
        commitAlone(pending);
      }
    } finally {
      // Only an Error can get here with a future still open; no submitter may wait forever.
      for (Pending<I, R> pending : batch) {
        pending.result().completeExceptionally(new IllegalStateException("batch aborted"));
      }
    }
  }

  private void commitAlone(Pending<I, R> pending) {
    try {
      List<R> results = handler.apply(List.of(pending.item()));
      if (results.size() != 1) {
        throw new IllegalStateException("handler returned " + results.size() + " results for 1");
      }
      pending.result().complete(results.get(0));
    } catch (RuntimeException e) {
      pending.result().completeExceptionally(e);
    }
  }

  private record Pending<I, R>(I item, CompletableFuture<R> result) {}
}
