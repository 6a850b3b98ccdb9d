package dev.ferry.keygen.code;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Property tests: our FF1 must agree with Bouncy Castle's independent implementation. */
class Ff1BouncyCastleEquivalenceTest {

  private static final byte[] NO_TWEAK = new byte[0];

  @Test
  void matchesBouncyCastleOnShortCodeDomainForRandomKeysAndValues() {
    SplittableRandom random = new SplittableRandom(62);
    for (int keyIndex = 0; keyIndex < 120; keyIndex++) {
      byte[] key = randomKey(random, 16 + 8 * (keyIndex % 3));
      Ff1 ff1 = new Ff1(key, 62, 7, NO_TWEAK);
      for (int sample = 0; sample < 25; sample++) {
        long x = random.nextLong(ShortCodeCipher.KEYSPACE);
        long expected =
            BouncyCastleFf1.valueOf(
                BouncyCastleFf1.encrypt(key, 62, NO_TWEAK, BouncyCastleFf1.digitsOf(x, 62, 7)), 62);

        assertThat(ff1.encrypt(x)).as("key #%d, x=%d", keyIndex, x).isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest(name = "radix {0}, length {1}, tweak of {2} bytes")
  @CsvSource({
    "10, 6, 0",
    "10, 10, 3",
    "10, 11, 16",
    "2, 20, 0",
    "2, 33, 7",
    "26, 9, 20",
    "36, 7, 11",
    "36, 19, 11",
    "62, 4, 0",
    "62, 7, 9",
    "62, 12, 40",
    "100, 5, 1",
    "200, 13, 15"
  })
  void matchesBouncyCastleForOtherRadicesLengthsAndTweaks(int radix, int length, int tweakLength) {
    SplittableRandom random = new SplittableRandom(radix * 1000L + length * 10L + tweakLength);
    for (int keyIndex = 0; keyIndex < 12; keyIndex++) {
      byte[] key = randomKey(random, 16 + 8 * (keyIndex % 3));
      byte[] tweak = randomKey(random, tweakLength);
      Ff1 ff1 = new Ff1(key, radix, length, tweak);
      for (int sample = 0; sample < 10; sample++) {
        int[] numerals = random.ints(length, 0, radix).toArray();
        int[] expected = BouncyCastleFf1.encrypt(key, radix, tweak, numerals);

        assertThat(ff1.encryptNumerals(numerals)).isEqualTo(expected);
        assertThat(ff1.decryptNumerals(expected)).isEqualTo(numerals);
        assertThat(BouncyCastleFf1.decrypt(key, radix, tweak, expected)).isEqualTo(numerals);
      }
    }
  }

  private static byte[] randomKey(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }
}
