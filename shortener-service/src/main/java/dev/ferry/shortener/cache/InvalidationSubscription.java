package dev.ferry.shortener.cache;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Starts the invalidation listener without making Redis a start-up dependency. A {@link
 * RedisMessageListenerContainer} recovers from losing Redis once subscribed, but its first {@code
 * start()} fails outright when Redis is down; this lifecycle retries that first start every two
 * seconds in the background, so an instance started during a Redis outage serves redirects at once
 * and receives invalidations as soon as Redis is back.
 *
 * <p>Thread-safe: start and stop are called by the container; retries run on one scheduler thread.
 */
final class InvalidationSubscription implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(InvalidationSubscription.class);
  private static final long RETRY_SECONDS = 2;

  private final RedisMessageListenerContainer container;
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "invalidation-subscribe");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean running;

  InvalidationSubscription(RedisMessageListenerContainer container) {
    this.container = container;
  }

  @Override
  public void start() {
    running = true;
    trySubscribe();
  }

  private void trySubscribe() {
    if (!running) {
      return;
    }
    try {
      container.start();
      log.info("Subscribed to link invalidations");
    } catch (RuntimeException e) {
      log.warn(
          "Cannot subscribe to link invalidations yet (retrying every {} s): {}",
          RETRY_SECONDS,
          e.toString());
      retries.schedule(this::trySubscribe, RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Override
  public void stop() {
    running = false;
    retries.shutdownNow();
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
