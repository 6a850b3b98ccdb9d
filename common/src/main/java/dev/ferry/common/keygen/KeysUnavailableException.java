package dev.ferry.common.keygen;

/**
 * The {@link KeygenClient}'s buffer is empty and keygen-service could not refill it: the caller
 * should answer 503 with a {@code Retry-After}, never invent a code of its own.
 */
public final class KeysUnavailableException extends RuntimeException {

  private KeysUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  static KeysUnavailableException bufferEmpty(Throwable cause) {
    return new KeysUnavailableException(
        "no short code buffered and keygen-service could not be reached", cause);
  }
}
