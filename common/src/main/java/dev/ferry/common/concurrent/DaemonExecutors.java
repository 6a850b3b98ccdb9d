package dev.ferry.common.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Executors for background housekeeping (buffer refills, prefetches) whose threads are named, so
 * that a thread dump says what they do, and daemons, so that a pending refill never keeps a
 * stopping JVM alive.
 */
public final class DaemonExecutors {

  private DaemonExecutors() {}

  /** One daemon thread called {@code threadName}, running tasks in submission order. */
  public static ExecutorService singleThread(String threadName) {
    return Executors.newSingleThreadExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, threadName);
          thread.setDaemon(true);
          return thread;
        });
  }
}
