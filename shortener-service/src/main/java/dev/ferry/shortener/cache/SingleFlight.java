package dev.ferry.shortener.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Collapses concurrent loads of the same key into one: the first caller runs the loader, callers
 * arriving while it runs wait for its result instead of running their own. A cold hot key thus
 * reaches Redis and Postgres once per instance, not once per concurrent request.
 *
 * <p>The loader runs on the first caller's thread, outside any map lock, so a slow load blocks only
 * the callers of that key. A failure is handed to every waiter, and the next call tries again.
 *
 * <p>Thread-safe: the in-flight map is a {@link ConcurrentHashMap}; a flight is added with {@code
 * putIfAbsent} (the winner is the caller whose flight got in) and removed by its owner only.
 */
final class SingleFlight<K, V> {

  private record Flight<V>(CompletableFuture<V> result, AtomicInteger waiters) {}

  private final ConcurrentHashMap<K, Flight<V>> inFlight = new ConcurrentHashMap<>();

  V load(K key, Function<K, V> loader) {
    Flight<V> mine = new Flight<>(new CompletableFuture<>(), new AtomicInteger());
    Flight<V> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      running.waiters().incrementAndGet();
      try {
        return running.result().join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
    }
    try {
      V value = loader.apply(key);
      mine.result().complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      mine.result().completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  /** Loads in progress now; for tests and metrics. */
  int inFlight() {
    return inFlight.size();
  }

  /** Callers waiting for the load of {@code key} in progress; for tests. */
  int waiters(K key) {
    Flight<V> flight = inFlight.get(key);
    return flight == null ? 0 : flight.waiters().get();
  }
}
