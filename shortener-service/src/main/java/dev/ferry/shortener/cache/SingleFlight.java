package dev.ferry.shortener.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Collapses concurrent loads of the same key into one: the first subscriber starts the loader,
 * subscribers arriving while it runs get its result instead of starting their own. A cold hot key
 * thus reaches Redis and Postgres once per instance, not once per concurrent request.
 *
 * <p>The load is subscribed to on its own, not through the first caller's subscription, so a caller
 * that goes away (a client closing its connection cancels the redirect) cancels neither the load
 * nor the other callers' wait. A failure is handed to every waiter, and the next call tries again.
 * Nobody blocks: waiters are completed by whatever thread finishes the load.
 *
 * <p>Thread-safe: the in-flight map is a {@link ConcurrentHashMap}; a flight is added with {@code
 * putIfAbsent} (the winner is the caller whose flight got in) and removed by its owner's load only,
 * before the result is published, so a caller that sees no flight starts a fresh load.
 */
final class SingleFlight<K, V> {

  private record Flight<V>(CompletableFuture<V> result, AtomicInteger waiters) {}

  private final ConcurrentHashMap<K, Flight<V>> inFlight = new ConcurrentHashMap<>();

  /**
   * The value of {@code key}: from the load in progress if there is one, else from {@code loader},
   * whose Mono must emit one value (an empty one fails the waiters).
   */
  Mono<V> load(K key, Function<K, Mono<V>> loader) {
    return Mono.defer(
        () -> {
          Flight<V> mine = new Flight<>(new CompletableFuture<>(), new AtomicInteger());
          Flight<V> running = inFlight.putIfAbsent(key, mine);
          if (running != null) {
            running.waiters().incrementAndGet();
            return Mono.fromFuture(running.result(), true);
          }
          Mono<V> load;
          try {
            load = loader.apply(key);
          } catch (RuntimeException e) {
            load = Mono.error(e);
          }
          load.switchIfEmpty(
                  Mono.error(() -> new IllegalStateException("the load of " + key + " was empty")))
              .subscribe(
                  value -> {
                    inFlight.remove(key, mine);
                    mine.result().complete(value);
                  },
                  failure -> {
                    inFlight.remove(key, mine);
                    mine.result().completeExceptionally(failure);
                  });
          return Mono.fromFuture(mine.result(), true);
        });
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
