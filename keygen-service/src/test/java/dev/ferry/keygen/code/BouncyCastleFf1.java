package dev.ferry.keygen.code;

import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** Bouncy Castle's FF1 as an independent reference; digits are one byte each, so radix <= 256. */
final class BouncyCastleFf1 {

  private BouncyCastleFf1() {}

  static int[] encrypt(byte[] key, int radix, byte[] tweak, int[] numerals) {
    return process(true, key, radix, tweak, numerals);
  }

  static int[] decrypt(byte[] key, int radix, byte[] tweak, int[] numerals) {
    return process(false, key, radix, tweak, numerals);
  }

  private static int[] process(
      boolean forEncryption, byte[] key, int radix, byte[] tweak, int[] numerals) {
    FPEFF1Engine engine = new FPEFF1Engine();
    engine.init(forEncryption, new FPEParameters(new KeyParameter(key), radix, tweak));
    byte[] in = new byte[numerals.length];
    for (int i = 0; i < in.length; i++) {
      in[i] = (byte) numerals[i];
    }
    byte[] out = new byte[in.length];
    engine.processBlock(in, 0, in.length, out, 0);
    int[] result = new int[out.length];
    for (int i = 0; i < out.length; i++) {
      result[i] = out[i] & 0xFF;
    }
    return result;
  }

  static int[] digitsOf(long value, int radix, int length) {
    int[] digits = new int[length];
    for (int i = length - 1; i >= 0; i--) {
      digits[i] = (int) (value % radix);
      value /= radix;
    }
    return digits;
  }

  static long valueOf(int[] digits, int radix) {
    long value = 0;
    for (int digit : digits) {
      value = value * radix + digit;
    }
    return value;
  }
}
