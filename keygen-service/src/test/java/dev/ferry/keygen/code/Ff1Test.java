package dev.ferry.keygen.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ff1Test {

  private static final byte[] KEY =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f1011121314151617");
  private static final byte[] NO_TWEAK = new byte[0];
  private static final long DOMAIN = 3_521_614_606_208L;

  private final Ff1 ff1 = new Ff1(KEY, 62, 7, NO_TWEAK);

  @Test
  void domainOfRadix62Length7IsSixtyTwoToTheSeventh() {
    assertThat(ff1.domainSize()).isEqualTo(DOMAIN);
    assertThat(ff1.radix()).isEqualTo(62);
    assertThat(ff1.length()).isEqualTo(7);
  }

  @Test
  void decryptInvertsEncryptOnLargeRandomSample() {
    long[] values = new SplittableRandom(1).longs(200_000, 0, DOMAIN).toArray();
    long[] encrypted = new long[values.length];
    long[] decrypted = new long[values.length];

    ff1.encrypt(values, encrypted, values.length);
    ff1.decrypt(encrypted, decrypted, values.length);

    assertThat(decrypted).isEqualTo(values);
    assertThat(Arrays.stream(encrypted).allMatch(y -> y >= 0 && y < DOMAIN)).isTrue();
    for (int i = 0; i < 5_000; i++) {
      assertThat(ff1.decrypt(ff1.encrypt(values[i]))).isEqualTo(values[i]);
    }
  }

  @Test
  void decryptInvertsEncryptAtDomainBoundaries() {
    for (long x : new long[] {0, 1, DOMAIN - 2, DOMAIN - 1}) {
      long y = ff1.encrypt(x);

      assertThat(y).isBetween(0L, DOMAIN - 1);
      assertThat(ff1.decrypt(y)).isEqualTo(x);
    }
  }

  @Test
  void batchEncryptionEqualsSingleEncryptionAcrossSeveralChunks() {
    int count = 2 * Ff1.BATCH + 123;
    long[] values = new SplittableRandom(2).longs(count, 0, DOMAIN).toArray();
    long[] batch = values.clone();

    ff1.encrypt(batch, batch, count);

    for (int i = 0; i < count; i++) {
      assertThat(batch[i]).as("index %d", i).isEqualTo(ff1.encrypt(values[i]));
    }
  }

  @Test
  void batchDecryptionEqualsSingleDecryption() {
    int count = Ff1.BATCH + 7;
    long[] values = new SplittableRandom(3).longs(count, 0, DOMAIN).toArray();
    long[] batch = new long[count];

    ff1.decrypt(values, batch, count);

    for (int i = 0; i < count; i++) {
      assertThat(batch[i]).as("index %d", i).isEqualTo(ff1.decrypt(values[i]));
    }
  }

  @Test
  void batchProcessesOnlyTheFirstCountValues() {
    long[] in = {5, 6, 7, 8};
    long[] out = new long[4];

    ff1.encrypt(in, out, 2);

    assertThat(out).containsExactly(ff1.encrypt(5), ff1.encrypt(6), 0, 0);
  }

  @Test
  void tweakChangesThePermutation() {
    Ff1 tweaked = new Ff1(KEY, 62, 7, new byte[] {1});

    assertThat(tweaked.encrypt(42)).isNotEqualTo(ff1.encrypt(42));
  }

  @ParameterizedTest(name = "key of {0} bytes")
  @ValueSource(ints = {0, 8, 15, 17, 31, 33, 64})
  void rejectsKeyOfWrongLength(int keyLength) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Ff1(new byte[keyLength], 62, 7, NO_TWEAK))
        .withMessage("AES key must be 16, 24 or 32 bytes, was " + keyLength + " bytes");
  }

  @ParameterizedTest(name = "radix {0}")
  @ValueSource(ints = {-1, 0, 1, 65537})
  void rejectsRadixOutsideTwoTo65536(int radix) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Ff1(KEY, radix, 20, NO_TWEAK))
        .withMessage("radix must be in [2, 65536], was " + radix);
  }

  @Test
  void rejectsLengthBelowTwo() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Ff1(KEY, 65536, 1, NO_TWEAK))
        .withMessage("length must be at least 2, was 1");
  }

  @Test
  void rejectsDomainBelowOneMillion() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Ff1(KEY, 10, 5, NO_TWEAK))
        .withMessageContaining("at least 1000000");
  }

  @Test
  void rejectsHalvesThatDoNotFitFiftyFiveBits() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Ff1(KEY, 65536, 8, NO_TWEAK))
        .withMessageContaining("below 2^55");
  }

  @ParameterizedTest(name = "x = {0}")
  @ValueSource(longs = {-1, DOMAIN, Long.MAX_VALUE, Long.MIN_VALUE})
  void rejectsValueOutsideDomain(long x) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ff1.encrypt(x))
        .withMessage("value " + x + " is outside [0, " + DOMAIN + ")");
    assertThatIllegalArgumentException().isThrownBy(() -> ff1.decrypt(x));
  }

  @Test
  void batchRejectsValueOutsideDomainWithoutTouchingOutput() {
    long[] in = {1, 2, DOMAIN};
    long[] out = new long[3];

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ff1.encrypt(in, out, 3))
        .withMessageContaining("outside");
    assertThat(out).containsOnly(0L);
  }

  @Test
  void longApiIsUnavailableWhenDomainExceedsLong() {
    Ff1 wide = new Ff1(KEY, 36, 19, NO_TWEAK);

    assertThatIllegalStateException()
        .isThrownBy(() -> wide.encrypt(0))
        .withMessageContaining("use the numeral API");
  }

  @Test
  void rejectsNumeralsOfWrongLengthOrOutsideRadix() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ff1.encryptNumerals(new int[6]))
        .withMessage("expected 7 numerals, got 6");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ff1.encryptNumerals(new int[] {0, 0, 0, 62, 0, 0, 0}))
        .withMessage("numeral 62 at index 3 is outside [0, 62)");
  }
}
