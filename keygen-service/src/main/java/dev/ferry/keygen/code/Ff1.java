package dev.ferry.keygen.code;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * FF1 format-preserving encryption (NIST SP 800-38G, Algorithm 7 and 8, <a
 * href="https://doi.org/10.6028/NIST.SP.800-38Gr1">https://doi.org/10.6028/NIST.SP.800-38Gr1</a>)
 * over AES, for one fixed radix, numeral-string length and tweak.
 *
 * <p>FF1 is a keyed bijection on the numeral strings of length {@code n} over {@code radix}. The
 * key generation service uses it to turn a plain counter into a code that cannot be predicted from
 * its neighbours, while uniqueness still follows from the counter alone: no table of handed-out
 * codes and no collision retries are needed.
 *
 * <p>Unlike a general FF1 implementation this one works on numbers rather than digit strings and
 * uses 64-bit arithmetic instead of {@code BigInteger}. A numeral string {@code X} is split into
 * {@code A} (the first {@code u = floor(n/2)} digits) and {@code B} (the last {@code v = n - u}
 * digits), which numerically is {@code A = x / radix^v} and {@code B = x mod radix^v}. The
 * constructor requires {@code radix^v < 2^55}, so both halves fit in a {@code long} with eight bits
 * of headroom for the byte-wise modular reduction, and {@code b <= 7}, {@code d <= 12}: one AES
 * block of PRF output always covers {@code S}, so {@code S} is never extended.
 *
 * <p>The PRF is a CBC-MAC over {@code P || Q}. Everything in front of the last block of {@code Q}
 * ({@code P}, the tweak, the zero padding) is the same in every round, so its chaining state is
 * computed once in the constructor; each round then costs exactly one AES block per value. The
 * batch methods exploit that the last blocks of different values are independent: they encrypt the
 * blocks of up to 1024 values with a single ECB call per round, which lets the JDK's AES-NI
 * intrinsics run without per-call overhead.
 *
 * <p>Invariants: {@code 2 <= radix <= 2^16}, {@code n >= 2}, {@code radix^n >= 1_000_000} (the SP
 * 800-38G Rev. 1 minimum domain), {@code radix^ceil(n/2) < 2^55}. The {@code long} API is available
 * only when {@code radix^n} itself fits in a {@code long}; otherwise use {@link
 * #encryptNumerals(int[])}.
 *
 * <p>Not thread-safe: an instance owns a {@link Cipher} and scratch buffers. Use one instance per
 * thread, or guard it externally (as {@link ShortCodeCipher} does).
 */
public final class Ff1 {

  /** Largest radix FF1 allows. */
  public static final int MAX_RADIX = 1 << 16;

  /** Values per AES call in the batch methods; 16 KiB of blocks stays within the L1/L2 cache. */
  static final int BATCH = 1024;

  private static final int ROUNDS = 10;
  private static final int BLOCK = 16;
  private static final long HALF_LIMIT = 1L << 55;
  private static final int MIN_DOMAIN = 1_000_000;
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private final int radix;
  private final int length;
  private final int u;
  private final long radixPowU;
  private final long radixPowV;
  private final long domain;
  private final int numBytes;
  private final boolean wideY;
  private final long lastBlockHi;
  private final long lastBlockLo;
  private final Cipher aes;
  private final long[] left = new long[BATCH];
  private final long[] right = new long[BATCH];
  private final byte[] blocksIn = new byte[BATCH * BLOCK];
  private final byte[] blocksOut = new byte[BATCH * BLOCK];

  /**
   * Creates an FF1 instance.
   *
   * @param key AES key of 16, 24 or 32 bytes; copied
   * @param radix the base of the numerals, {@code 2..65536}
   * @param length the numeral-string length {@code n}
   * @param tweak the tweak {@code T}, possibly empty; copied
   * @throws IllegalArgumentException if any argument is outside the supported range
   */
  public Ff1(byte[] key, int radix, int length, byte[] tweak) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(tweak, "tweak");
    if (key.length != 16 && key.length != 24 && key.length != 32) {
      throw new IllegalArgumentException(
          "AES key must be 16, 24 or 32 bytes, was " + key.length + " bytes");
    }
    if (radix < 2 || radix > MAX_RADIX) {
      throw new IllegalArgumentException("radix must be in [2, 65536], was " + radix);
    }
    if (length < 2) {
      throw new IllegalArgumentException("length must be at least 2, was " + length);
    }
    this.radix = radix;
    this.length = length;
    this.u = length / 2;
    int v = length - u;
    this.radixPowV = powBelowHalfLimit(radix, v);
    if (radixPowV < 0) {
      throw new IllegalArgumentException(
          "radix^ceil(length/2) must be below 2^55, radix=" + radix + " length=" + length);
    }
    this.radixPowU = powBelowHalfLimit(radix, u);
    long product = radixPowU * radixPowV;
    boolean fitsLong = Math.multiplyHigh(radixPowU, radixPowV) == 0 && product >= 0;
    this.domain = fitsLong ? product : 0;
    if (fitsLong && domain < MIN_DOMAIN) {
      throw new IllegalArgumentException(
          "radix^length must be at least 1000000 (SP 800-38G Rev. 1), was " + domain);
    }
    this.numBytes = (Long.SIZE - Long.numberOfLeadingZeros(radixPowV - 1) + 7) / 8;
    int d = 4 * ((numBytes + 3) / 4) + 4;
    this.wideY = d > 8;
    this.aes = newAes(key);

    long[] lastBlock = precomputeLastBlock(tweak);
    this.lastBlockHi = lastBlock[0];
    this.lastBlockLo = lastBlock[1];
  }

  /** The radix of the numerals. */
  public int radix() {
    return radix;
  }

  /** The numeral-string length {@code n}. */
  public int length() {
    return length;
  }

  /**
   * The number of values, {@code radix^n}, the {@code long} API permutes.
   *
   * @throws IllegalStateException if {@code radix^n} does not fit in a {@code long}
   */
  public long domainSize() {
    if (domain == 0) {
      throw new IllegalStateException(
          "radix^length exceeds a long for radix="
              + radix
              + " length="
              + length
              + "; use the numeral API");
    }
    return domain;
  }

  /**
   * Encrypts one value, read as the {@code n}-digit numeral string of {@code x}.
   *
   * @param x a value in {@code [0, radix^n)}
   * @return the permuted value, also in {@code [0, radix^n)}
   */
  public long encrypt(long x) {
    return transformOne(x, true);
  }

  /** Inverse of {@link #encrypt(long)}. */
  public long decrypt(long x) {
    return transformOne(x, false);
  }

  /**
   * Encrypts {@code in[0..count)} into {@code out[0..count)}; {@code in} and {@code out} may be the
   * same array. The result equals calling {@link #encrypt(long)} on each element, but costs one AES
   * call per round per 1024 values.
   *
   * @throws IllegalArgumentException if any input is outside {@code [0, radix^n)}; {@code out} is
   *     then left untouched
   */
  public void encrypt(long[] in, long[] out, int count) {
    transformBatch(in, out, count, true);
  }

  /** Batch inverse of {@link #encrypt(long[], long[], int)}. */
  public void decrypt(long[] in, long[] out, int count) {
    transformBatch(in, out, count, false);
  }

  /**
   * Encrypts a numeral string given as digits, most significant first. Works for every supported
   * parameter set, including those where {@code radix^n} exceeds a {@code long}.
   *
   * @param numerals {@code n} digits, each in {@code [0, radix)}; not modified
   * @return a new array with the {@code n} encrypted digits
   */
  public int[] encryptNumerals(int[] numerals) {
    return transformNumerals(numerals, true);
  }

  /** Inverse of {@link #encryptNumerals(int[])}. */
  public int[] decryptNumerals(int[] numerals) {
    return transformNumerals(numerals, false);
  }

  private long transformOne(long x, boolean forward) {
    checkInDomain(x);
    left[0] = x / radixPowV;
    right[0] = x % radixPowV;
    rounds(1, forward);
    return left[0] * radixPowV + right[0];
  }

  private void transformBatch(long[] in, long[] out, int count, boolean forward) {
    Objects.checkFromIndexSize(0, count, in.length);
    Objects.checkFromIndexSize(0, count, out.length);
    for (int k = 0; k < count; k++) {
      checkInDomain(in[k]);
    }
    for (int base = 0; base < count; base += BATCH) {
      int chunk = Math.min(BATCH, count - base);
      for (int k = 0; k < chunk; k++) {
        long x = in[base + k];
        left[k] = x / radixPowV;
        right[k] = x % radixPowV;
      }
      rounds(chunk, forward);
      for (int k = 0; k < chunk; k++) {
        out[base + k] = left[k] * radixPowV + right[k];
      }
    }
  }

  private int[] transformNumerals(int[] numerals, boolean forward) {
    Objects.requireNonNull(numerals, "numerals");
    if (numerals.length != length) {
      throw new IllegalArgumentException(
          "expected " + length + " numerals, got " + numerals.length);
    }
    long a = 0;
    long b = 0;
    for (int i = 0; i < length; i++) {
      int digit = numerals[i];
      if (digit < 0 || digit >= radix) {
        throw new IllegalArgumentException(
            "numeral " + digit + " at index " + i + " is outside [0, " + radix + ")");
      }
      if (i < u) {
        a = a * radix + digit;
      } else {
        b = b * radix + digit;
      }
    }
    left[0] = a;
    right[0] = b;
    rounds(1, forward);
    int[] result = new int[length];
    toDigits(left[0], result, 0, u);
    toDigits(right[0], result, u, length - u);
    return result;
  }

  private void toDigits(long value, int[] into, int from, int count) {
    for (int i = from + count - 1; i >= from; i--) {
      into[i] = (int) (value % radix);
      value /= radix;
    }
  }

  /**
   * Runs the ten Feistel rounds on {@code left[0..count)} (A) and {@code right[0..count)} (B). The
   * PRF input of a round differs from the precomputed last block only in the round-number byte and
   * the trailing {@code b} bytes of NUM(B) (A when decrypting), both of which lie in the low eight
   * bytes because {@code b <= 7}.
   */
  private void rounds(int count, boolean forward) {
    int bytes = count * BLOCK;
    for (int step = 0; step < ROUNDS; step++) {
      int round = forward ? step : ROUNDS - 1 - step;
      long modulus = (round & 1) == 0 ? radixPowU : radixPowV;
      long[] prfInput = forward ? right : left;
      long roundLo = lastBlockLo ^ ((long) round << (8 * numBytes));
      for (int k = 0, off = 0; k < count; k++, off += BLOCK) {
        LONG_BE.set(blocksIn, off, lastBlockHi);
        LONG_BE.set(blocksIn, off + 8, roundLo ^ prfInput[k]);
      }
      aesEcb(bytes);
      for (int k = 0, off = 0; k < count; k++, off += BLOCK) {
        long y = reduce(off, modulus);
        if (forward) {
          long c = left[k] + y;
          left[k] = right[k];
          right[k] = c >= modulus ? c - modulus : c;
        } else {
          long c = right[k] - y;
          right[k] = left[k];
          left[k] = c < 0 ? c + modulus : c;
        }
      }
    }
  }

  /**
   * NUM(S) mod modulus for the first d bytes S of the PRF output at {@code off}. Feeding the bytes
   * past the first eight one at a time (Horner) cannot overflow because modulus &lt; 2^55.
   */
  private long reduce(int off, long modulus) {
    long r = Long.remainderUnsigned((long) LONG_BE.get(blocksOut, off), modulus);
    if (wideY) {
      int tail = (int) INT_BE.get(blocksOut, off + 8);
      for (int shift = 24; shift >= 0; shift -= 8) {
        r = ((r << 8) | ((tail >>> shift) & 0xFF)) % modulus;
      }
    }
    return r;
  }

  private void aesEcb(int bytes) {
    try {
      aes.update(blocksIn, 0, bytes, blocksOut, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES block encryption failed", e);
    }
  }

  /**
   * Returns the CBC-MAC chaining state after every block of {@code P || Q} but the last, XORed with
   * the constant part of the last block (round number and NUM(B) set to zero), as two big-endian
   * longs.
   */
  private long[] precomputeLastBlock(byte[] tweak) {
    int t = tweak.length;
    int pad = Math.floorMod(-t - numBytes - 1, BLOCK);
    byte[] message = new byte[BLOCK + t + pad + 1 + numBytes];
    byte[] p = {
      1,
      2,
      1,
      (byte) (radix >>> 16),
      (byte) (radix >>> 8),
      (byte) radix,
      10,
      (byte) u,
      (byte) (length >>> 24),
      (byte) (length >>> 16),
      (byte) (length >>> 8),
      (byte) length,
      (byte) (t >>> 24),
      (byte) (t >>> 16),
      (byte) (t >>> 8),
      (byte) t
    };
    System.arraycopy(p, 0, message, 0, BLOCK);
    System.arraycopy(tweak, 0, message, BLOCK, t);
    byte[] state = new byte[BLOCK];
    int last = message.length - BLOCK;
    for (int off = 0; off < last; off += BLOCK) {
      for (int i = 0; i < BLOCK; i++) {
        state[i] ^= message[off + i];
      }
      System.arraycopy(state, 0, blocksIn, 0, BLOCK);
      aesEcb(BLOCK);
      System.arraycopy(blocksOut, 0, state, 0, BLOCK);
    }
    for (int i = 0; i < BLOCK; i++) {
      state[i] ^= message[last + i];
    }
    return new long[] {(long) LONG_BE.get(state, 0), (long) LONG_BE.get(state, 8)};
  }

  private void checkInDomain(long x) {
    long size = domainSize();
    if (x < 0 || x >= size) {
      throw new IllegalArgumentException("value " + x + " is outside [0, " + size + ")");
    }
  }

  private static Cipher newAes(byte[] key) {
    try {
      Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
      return cipher;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/ECB/NoPadding is unavailable", e);
    }
  }

  /** radix^exp, or -1 if it is not below 2^55. */
  private static long powBelowHalfLimit(int radix, int exp) {
    long result = 1;
    for (int i = 0; i < exp; i++) {
      if (result > (HALF_LIMIT - 1) / radix) {
        return -1;
      }
      result *= radix;
    }
    return result;
  }
}
