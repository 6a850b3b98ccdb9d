package dev.ferry.keygen.code;

import java.util.Objects;

/**
 * Turns the key generation counter into short codes: code = base62(FF1(counter)), with FF1 over
 * radix 62, length 7 and an empty tweak (NIST SP 800-38G, <a
 * href="https://doi.org/10.6028/NIST.SP.800-38Gr1">https://doi.org/10.6028/NIST.SP.800-38Gr1</a>).
 *
 * <p>Why FF1: it is a keyed permutation of {@code [0, 62^7)}, so distinct counters give distinct
 * codes by construction and the service needs neither a table of used codes nor collision retries;
 * and without the key, consecutive codes reveal nothing about each other, so handed-out codes
 * cannot be enumerated by counting.
 *
 * <p>Invariants: counters and code values lie in {@code [0, KEYSPACE)}; {@code
 * counterOf(codeFor(c)) == c} for every counter {@code c}; codes always match {@code
 * [0-9a-zA-Z]{7}}.
 *
 * <p>Thread-safe: every method locks the instance, because the underlying {@link Ff1} is not. A
 * batch holds the lock for its whole duration, so threads that each need high throughput should
 * each use their own instance.
 */
public final class ShortCodeCipher {

  /** Number of distinct codes and counters, {@code 62^7}. */
  public static final long KEYSPACE = Base62Codes.KEYSPACE;

  private static final int RADIX = 62;
  private static final byte[] NO_TWEAK = new byte[0];

  private final Ff1 ff1;

  /**
   * Creates a cipher for one AES key; the key decides the permutation and must stay fixed for the
   * lifetime of the counter, or codes would repeat.
   *
   * @param key AES key of 16, 24 or 32 bytes; copied
   * @throws IllegalArgumentException if the key length is invalid
   */
  public ShortCodeCipher(byte[] key) {
    this.ff1 = new Ff1(key, RADIX, Base62Codes.LENGTH, NO_TWEAK);
  }

  /**
   * The code for one counter value.
   *
   * @throws IllegalArgumentException if {@code counter} is outside {@code [0, KEYSPACE)}
   */
  public synchronized String codeFor(long counter) {
    checkCounter(counter);
    return Base62Codes.format(ff1.encrypt(counter));
  }

  /**
   * The codes for the counters {@code [start, start + count)}, in counter order. Much faster per
   * code than {@link #codeFor(long)} because FF1 runs in batches.
   *
   * @throws IllegalArgumentException if the range is not within {@code [0, KEYSPACE)}
   */
  public synchronized String[] codesFor(long start, int count) {
    if (count < 0 || start < 0 || start > KEYSPACE - count) {
      throw new IllegalArgumentException(
          "counter range ["
              + start
              + ", "
              + start
              + " + "
              + count
              + ") is outside [0, "
              + KEYSPACE
              + ")");
    }
    long[] values = new long[count];
    for (int i = 0; i < count; i++) {
      values[i] = start + i;
    }
    ff1.encrypt(values, values, count);
    String[] codes = new String[count];
    for (int i = 0; i < count; i++) {
      codes[i] = Base62Codes.format(values[i]);
    }
    return codes;
  }

  /**
   * The counter a code was made from; for tests and diagnostics.
   *
   * @throws IllegalArgumentException if {@code code} is not 7 characters of {@code [0-9a-zA-Z]}
   */
  public synchronized long counterOf(String code) {
    Objects.requireNonNull(code, "code");
    return ff1.decrypt(Base62Codes.parse(code));
  }

  private static void checkCounter(long counter) {
    if (counter < 0 || counter >= KEYSPACE) {
      throw new IllegalArgumentException(
          "counter " + counter + " is outside [0, " + KEYSPACE + ")");
    }
  }
}
