package dev.ferry.shortener.cache;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Keeps this instance's invalidations connected to Redis without making Redis a start-up
 * dependency. A {@link RedisMessageListenerContainer} recovers from losing Redis once subscribed,
 * but its first {@code start()} fails outright when Redis is down; this lifecycle retries that
 * first start every two seconds in the background, so an instance started during a Redis outage
 * serves redirects at once and receives invalidations as soon as Redis is back.
 *
 * <p>Every two seconds it also replays the invalidations that Redis could not take (see {@link
 * LinkCache#replayPendingInvalidations}); with none pending that is a look at an empty set.
 *
 * <p>Thread-safe: start and stop are synchronized (the test context cache stops and restarts
 * contexts it keeps); retries and replays run on one scheduler thread per start, which may block on
 * Redis (a Redis client thread must not).
 */
final class InvalidationSubscription implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(InvalidationSubscription.class);
  private static final long RETRY_SECONDS = 2;

  private final RedisMessageListenerContainer container;
  private final LinkCache cache;

  /** The scheduler of the running lifecycle; a new one per start, since stop shuts it down. */
  private volatile ScheduledExecutorService scheduler;

  private volatile boolean running;

  InvalidationSubscription(RedisMessageListenerContainer container, LinkCache cache) {
    this.container = container;
    this.cache = cache;
  }

  @Override
  public synchronized void start() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "invalidation-subscribe");
              thread.setDaemon(true);
              return thread;
            });
    running = true;
    trySubscribe();
    scheduler.scheduleWithFixedDelay(
        this::replayPending, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
  }

  private void replayPending() {
    try {
      cache.replayPendingInvalidations();
    } catch (RuntimeException e) {
      // An exception would cancel the schedule and strand the pending codes.
      log.warn("Replaying link invalidations failed; retrying in {} s", RETRY_SECONDS, e);
    }
  }

  /**
   * Makes the first subscription, retrying every two seconds until it is confirmed. The container
   * marks itself started before its first subscription and neither retries a failed one nor
   * subscribes on a later {@code start()}, so each attempt stops it first; a subscription that is
   * still unconfirmed when {@code start()} returns (it waits two seconds) is looked at again on the
   * next attempt. Once subscribed, Lettuce and the container's recovery keep the subscription.
   */
  private void trySubscribe() {
    if (!running) {
      return;
    }
    try {
      if (!container.isListening()) {
        container.stop();
        container.start();
      }
      if (container.isListening()) {
        log.info("Subscribed to link invalidations");
        return;
      }
      log.warn("Link invalidation subscription not confirmed yet; retrying in {} s", RETRY_SECONDS);
    } catch (RuntimeException e) {
      log.warn(
          "Cannot subscribe to link invalidations yet (retrying every {} s): {}",
          RETRY_SECONDS,
          e.toString());
    }
    scheduler.schedule(this::trySubscribe, RETRY_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public synchronized void stop() {
    running = false;
    scheduler.shutdownNow();
    container.stop();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Whether the listener is subscribed now; for tests. */
  boolean subscribed() {
    return container.isListening();
  }
}
