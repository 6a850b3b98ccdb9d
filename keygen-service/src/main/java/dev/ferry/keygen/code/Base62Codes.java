package dev.ferry.keygen.code;

import java.util.Arrays;
import java.util.Objects;

/**
 * Conversion between numbers in {@code [0, 62^7)} and 7-character base62 short codes.
 *
 * <p>The alphabet is {@code 0-9a-zA-Z} in that order, so {@code '0'..'9'} are digits 0..9, {@code
 * 'a'..'z'} are 10..35 and {@code 'A'..'Z'} are 36..61. Codes are always exactly {@value #LENGTH}
 * characters, most significant digit first and zero-padded, so formatting is a bijection between
 * {@code [0, KEYSPACE)} and the strings matching {@code [0-9a-zA-Z]{7}}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Base62Codes {

  /** Characters per code. */
  public static final int LENGTH = 7;

  /** Number of distinct codes, {@code 62^7}. */
  public static final long KEYSPACE = 3_521_614_606_208L;

  private static final int RADIX = 62;
  private static final char[] ALPHABET =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();
  private static final byte[] DIGIT_OF = digitTable();

  private Base62Codes() {}

  /**
   * Formats a number as its 7-character code.
   *
   * @throws IllegalArgumentException if {@code value} is outside {@code [0, KEYSPACE)}
   */
  public static String format(long value) {
    if (value < 0 || value >= KEYSPACE) {
      throw new IllegalArgumentException(
          "value " + value + " is outside the code space [0, " + KEYSPACE + ")");
    }
    char[] chars = new char[LENGTH];
    for (int i = LENGTH - 1; i >= 0; i--) {
      chars[i] = ALPHABET[(int) (value % RADIX)];
      value /= RADIX;
    }
    return new String(chars);
  }

  /**
   * Parses a 7-character code back into its number.
   *
   * @throws IllegalArgumentException if {@code code} is not exactly 7 characters of {@code
   *     [0-9a-zA-Z]}
   */
  public static long parse(String code) {
    Objects.requireNonNull(code, "code");
    if (code.length() != LENGTH) {
      throw new IllegalArgumentException(
          "code must be " + LENGTH + " characters, was " + code.length() + ": '" + code + "'");
    }
    long value = 0;
    for (int i = 0; i < LENGTH; i++) {
      char c = code.charAt(i);
      int digit = c < DIGIT_OF.length ? DIGIT_OF[c] : -1;
      if (digit < 0) {
        throw new IllegalArgumentException(
            "code '" + code + "' has a character outside [0-9a-zA-Z] at index " + i);
      }
      value = value * RADIX + digit;
    }
    return value;
  }

  private static byte[] digitTable() {
    byte[] table = new byte[128];
    Arrays.fill(table, (byte) -1);
    for (int digit = 0; digit < RADIX; digit++) {
      table[ALPHABET[digit]] = (byte) digit;
    }
    return table;
  }
}
