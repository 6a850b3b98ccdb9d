package dev.ferry.notification.delivery;

import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.Priority;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * One fixed pool of provider-call threads per priority, sized by {@code in-flight.<priority>}. The
 * SDKs (Firebase, SendGrid, Twilio) make blocking HTTP calls; running them on a pool per priority
 * lets a worker have a whole poll's deliveries in flight at once, while bounding what each priority
 * may occupy: critical calls never queue behind low ones, and a provider that hangs holds only its
 * priority's threads. Thread-safe; closed by Spring after the listener containers stopped.
 */
@Component
class ProviderCallPools implements AutoCloseable {

  private final Map<Priority, ExecutorService> pools = new EnumMap<>(Priority.class);

  ProviderCallPools(NotificationProperties properties) {
    for (Priority priority : Priority.values()) {
      pools.put(
          priority,
          Executors.newFixedThreadPool(
              properties.inFlight().of(priority), threads("provider-" + priority.wire())));
    }
  }

  /** The pool of {@code priority}. */
  ExecutorService of(Priority priority) {
    return pools.get(priority);
  }

  /** Lets calls in flight finish (their provider timeout bounds them), then stops the threads. */
  @Override
  public void close() {
    pools.values().forEach(ExecutorService::shutdown);
    for (ExecutorService pool : pools.values()) {
      try {
        pool.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
