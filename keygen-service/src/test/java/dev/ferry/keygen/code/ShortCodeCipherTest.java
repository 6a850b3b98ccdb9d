package dev.ferry.keygen.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ShortCodeCipherTest {

  private static final byte[] KEY = HexFormat.of().parseHex("8f1e2d3c4b5a69788796a5b4c3d2e1f0");
  private static final byte[] OTHER_KEY =
      HexFormat.of().parseHex("8f1e2d3c4b5a69788796a5b4c3d2e1f1");
  private static final Pattern CODE = Pattern.compile("[0-9a-zA-Z]{7}");
  private static final String ALPHABET =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private final ShortCodeCipher cipher = new ShortCodeCipher(KEY);

  @Test
  void keyspaceIsSixtyTwoToTheSeventh() {
    assertThat(ShortCodeCipher.KEYSPACE).isEqualTo((long) Math.pow(62, 7));
  }

  @Test
  void millionConsecutiveCountersGiveMillionDistinctWellFormedCodes() {
    int total = 1_000_000;
    int chunk = 50_000;
    long[] values = new long[total];
    for (int start = 0; start < total; start += chunk) {
      String[] codes = cipher.codesFor(start, chunk);
      for (int i = 0; i < chunk; i++) {
        assertThat(CODE.matcher(codes[i]).matches()).as("code '%s'", codes[i]).isTrue();
        values[start + i] = Base62Codes.parse(codes[i]);
      }
    }

    Arrays.sort(values);
    for (int i = 1; i < total; i++) {
      assertThat(values[i]).as("sorted code value %d", i).isGreaterThan(values[i - 1]);
    }
  }

  @Test
  void consecutiveCountersDoNotGiveVisiblySequentialCodes() {
    String[] codes = cipher.codesFor(0, 1000);

    int ascendingPairs = 0;
    for (int i = 1; i < codes.length; i++) {
      if (Base62Codes.parse(codes[i]) > Base62Codes.parse(codes[i - 1])) {
        ascendingPairs++;
      }
    }
    assertThat(codes).isNotEqualTo(Arrays.stream(codes).sorted().toArray());
    assertThat(ascendingPairs).as("a random order ascends about half the time").isBetween(400, 600);
  }

  @Test
  void differentKeyGivesDifferentPermutation() {
    String[] codes = cipher.codesFor(0, 1000);
    String[] otherCodes = new ShortCodeCipher(OTHER_KEY).codesFor(0, 1000);

    int samePosition = 0;
    for (int i = 0; i < codes.length; i++) {
      if (codes[i].equals(otherCodes[i])) {
        samePosition++;
      }
    }
    assertThat(samePosition).isLessThan(3);
  }

  @Test
  void codeIsBase62OfBouncyCastleFf1OfCounter() {
    for (long counter : new long[] {0, 1, 61, 62, 123_456_789, ShortCodeCipher.KEYSPACE - 1}) {
      int[] digits =
          BouncyCastleFf1.encrypt(KEY, 62, new byte[0], BouncyCastleFf1.digitsOf(counter, 62, 7));
      StringBuilder expected = new StringBuilder();
      for (int digit : digits) {
        expected.append(ALPHABET.charAt(digit));
      }

      assertThat(cipher.codeFor(counter)).isEqualTo(expected.toString());
    }
  }

  @Test
  void counterOfInvertsCodeForIncludingKeyspaceBoundaries() {
    for (long counter : new long[] {0, 1, 999_999, ShortCodeCipher.KEYSPACE - 1}) {
      assertThat(cipher.counterOf(cipher.codeFor(counter))).isEqualTo(counter);
    }
  }

  @Test
  void batchCodesEqualSingleCodesUpToTheEndOfTheKeyspace() {
    long start = ShortCodeCipher.KEYSPACE - 2_000;

    String[] codes = cipher.codesFor(start, 2_000);

    assertThat(codes).hasSize(2_000);
    for (int i = 0; i < codes.length; i++) {
      assertThat(codes[i]).isEqualTo(cipher.codeFor(start + i));
    }
  }

  @Test
  void emptyBatchGivesNoCodes() {
    assertThat(cipher.codesFor(ShortCodeCipher.KEYSPACE, 0)).isEmpty();
  }

  @Test
  void rejectsKeyOfWrongLength() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ShortCodeCipher(new byte[20]))
        .withMessage("AES key must be 16, 24 or 32 bytes, was 20 bytes");
  }

  @Test
  void rejectsCounterOutsideKeyspace() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cipher.codeFor(ShortCodeCipher.KEYSPACE))
        .withMessage("counter 3521614606208 is outside [0, 3521614606208)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cipher.codeFor(-1))
        .withMessage("counter -1 is outside [0, 3521614606208)");
  }

  @Test
  void rejectsBatchRangeReachingPastKeyspace() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cipher.codesFor(ShortCodeCipher.KEYSPACE - 1, 2))
        .withMessageContaining("is outside [0, 3521614606208)");
    assertThatIllegalArgumentException().isThrownBy(() -> cipher.codesFor(-1, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> cipher.codesFor(0, -1));
  }

  @Test
  void rejectsCodeWithBadCharacterOrWrongLength() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cipher.counterOf("abc+efg"))
        .withMessage("code 'abc+efg' has a character outside [0-9a-zA-Z] at index 3");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cipher.counterOf("abcdefgh"))
        .withMessage("code must be 7 characters, was 8: 'abcdefgh'");
  }
}
