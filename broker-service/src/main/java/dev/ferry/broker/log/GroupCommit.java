package dev.ferry.broker.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Group commit for one log: appends go ahead without waiting, and a single fsync makes durable
 * everything appended before it started, completing every waiter whose records it covered.
 *
 * <p>Why: with an fsync per produce request, durable producers queue behind each other's fsyncs and
 * throughput is one request per disk flush. Here, while one fsync runs, the waiters that arrive
 * meanwhile collect, and the next fsync covers them all; the cost of a flush is shared by every
 * request it makes durable, as in a database's group commit of its write-ahead log.
 *
 * <p>Protocol: a caller appends, then calls {@link #awaitDurable(long)} with the end offset of its
 * append. If no flush is queued or running, one is submitted to the flush executor. A flush asks
 * the {@link Flusher} to force the log, which captures the log end offset <em>before</em> forcing
 * and returns it: every offset below it is on disk. Waiters whose end offset is at most that are
 * completed; if others arrived during the flush, the next flush is submitted at once, otherwise the
 * log goes idle. So at most one flush per log is queued or running, and a waiter is never completed
 * before a flush that started after its append has finished.
 *
 * <p>A failed flush fails every waiter with the {@link IOException}: nothing pending can be
 * promised durable any more.
 *
 * <p>Thread-safety: safe for concurrent use; {@link #lock} guards the waiter queue, the {@code
 * flushing} flag and the durable offset. Waiters are completed on the completion executor, outside
 * the lock and off the flush thread, so response work never delays the next fsync.
 */
public final class GroupCommit {

  /** Forces a log to disk. */
  @FunctionalInterface
  public interface Flusher {
    /**
     * Forces everything appended so far to stable storage.
     *
     * @return an offset below which every record is durable; captured before forcing
     */
    long flush() throws IOException;
  }

  private record Waiter(long endOffset, CompletableFuture<Void> future) {}

  private final Flusher flusher;
  private final Executor flushExecutor;
  private final Executor completionExecutor;
  private final Object lock = new Object();
  private final PriorityQueue<Waiter> waiters =
      new PriorityQueue<>((a, b) -> Long.compare(a.endOffset(), b.endOffset()));
  private boolean flushing;
  // Volatile so the fast path of awaitDurable reads it without the lock; written under the lock.
  private volatile long durableOffset;

  /**
   * @param durableOffset the offset below which the log is already on disk when this starts
   * @param flushExecutor runs the fsyncs; may be shared by many logs
   * @param completionExecutor completes the waiters
   */
  public GroupCommit(
      Flusher flusher, long durableOffset, Executor flushExecutor, Executor completionExecutor) {
    if (durableOffset < 0) {
      throw new IllegalArgumentException("durable offset must not be negative: " + durableOffset);
    }
    this.flusher = flusher;
    this.durableOffset = durableOffset;
    this.flushExecutor = flushExecutor;
    this.completionExecutor = completionExecutor;
  }

  /**
   * Returns a future completed once every offset below {@code endOffset} is on disk, failed if the
   * flush that should cover it fails.
   */
  public CompletableFuture<Void> awaitDurable(long endOffset) {
    if (endOffset <= durableOffset) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    synchronized (lock) {
      if (endOffset <= durableOffset) {
        return CompletableFuture.completedFuture(null);
      }
      waiters.add(new Waiter(endOffset, future));
      if (!flushing) {
        flushing = true;
        flushExecutor.execute(this::flushOnce);
      }
    }
    return future;
  }

  /** The offset below which every record is known to be on disk. */
  public long durableOffset() {
    return durableOffset;
  }

  private void flushOnce() {
    long covered = -1;
    IOException failure = null;
    try {
      covered = flusher.flush();
    } catch (IOException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new IOException("flush failed", e);
    }
    List<Waiter> done = new ArrayList<>();
    synchronized (lock) {
      if (failure == null) {
        durableOffset = Math.max(durableOffset, covered);
        while (!waiters.isEmpty() && waiters.peek().endOffset() <= durableOffset) {
          done.add(waiters.poll());
        }
      } else {
        done.addAll(waiters);
        waiters.clear();
      }
      if (waiters.isEmpty()) {
        flushing = false;
      } else {
        flushExecutor.execute(this::flushOnce);
      }
    }
    if (!done.isEmpty()) {
      IOException error = failure;
      completionExecutor.execute(
          () -> {
            for (Waiter waiter : done) {
              if (error == null) {
                waiter.future().complete(null);
              } else {
                waiter.future().completeExceptionally(error);
              }
            }
          });
    }
  }
}
