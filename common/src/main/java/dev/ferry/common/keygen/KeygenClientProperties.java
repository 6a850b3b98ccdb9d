package dev.ferry.common.keygen;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link KeygenClient}.
 *
 * @param baseUrl where keygen-service listens, e.g. {@code http://localhost:8081}
 * @param batchSize codes fetched per request (1..10000, keygen-service's limit)
 * @param lowWatermark buffer level at or below which a background refill starts
 * @param capacity the most codes the buffer holds; a refill stops short of it
 * @param timeout connect and read timeout of one fetch
 */
public record KeygenClientProperties(
    URI baseUrl, int batchSize, int lowWatermark, int capacity, Duration timeout) {

  public KeygenClientProperties {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(timeout, "timeout");
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("batchSize must be in 1..10000, was " + batchSize);
    }
    if (capacity < batchSize) {
      throw new IllegalArgumentException(
          "capacity (" + capacity + ") must hold at least one batch (" + batchSize + ")");
    }
    if (lowWatermark < 0 || lowWatermark >= capacity) {
      throw new IllegalArgumentException(
          "lowWatermark must be in 0.." + (capacity - 1) + ", was " + lowWatermark);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
  }
}
