package dev.ferry.broker.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Restores request order on one connection. Kafka clients match responses to requests by order.
 * Requests are handled one after another, but each completion reaches the connection's event loop
 * through its own hand-off from a handler thread, and those hand-offs may arrive in either order;
 * so a response is released only when all earlier ones have been. It also counts the requests in
 * flight, which drives back-pressure.
 *
 * <p>Not thread-safe: used only on its connection's event-loop thread.
 *
 * @param <R> the response type
 */
final class ResponseSequencer<R> {

  private final Map<Long, Optional<R>> completed = new HashMap<>();
  private long nextSequence;
  private long nextToRelease;

  /** Numbers a newly arrived request. */
  long register() {
    return nextSequence++;
  }

  /**
   * Records the outcome of request {@code sequence} (empty: it takes no response) and returns the
   * responses that may now be written, in request order.
   */
  List<R> complete(long sequence, Optional<R> response) {
    if (sequence < nextToRelease || sequence >= nextSequence || completed.containsKey(sequence)) {
      throw new IllegalStateException("request " + sequence + " completed twice or never issued");
    }
    completed.put(sequence, response);
    List<R> releasable = new ArrayList<>();
    while (completed.containsKey(nextToRelease)) {
      completed.remove(nextToRelease).ifPresent(releasable::add);
      nextToRelease++;
    }
    return releasable;
  }

  /** Requests received whose turn to be answered has not come yet. */
  int inFlight() {
    return (int) (nextSequence - nextToRelease);
  }
}
