package dev.ferry.keygen.code;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The nine FF1 samples published by NIST (FF1samples.pdf, SP 800-38G examples). Radix-36 digits are
 * written as {@code 0-9a-z}.
 */
class Ff1NistSamplesTest {

  private static final String KEY_128 = "2B7E151628AED2A6ABF7158809CF4F3C";
  private static final String KEY_192 = KEY_128 + "EF4359D8D580AA4F";
  private static final String KEY_256 = KEY_128 + "EF4359D8D580AA4F7F036D6F04FC6A94";

  @ParameterizedTest(name = "sample {0}: {4} -> {5}")
  @CsvSource(
      textBlock =
          """
          1, 2B7E151628AED2A6ABF7158809CF4F3C, 10, '', 0123456789, 2433477484
          2, 2B7E151628AED2A6ABF7158809CF4F3C, 10, 39383736353433323130, 0123456789, 6124200773
          3, 2B7E151628AED2A6ABF7158809CF4F3C, 36, 3737373770717273373737, 0123456789abcdefghi, a9tv40mll9kdu509eum
          4, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F, 10, '', 0123456789, 2830668132
          5, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F, 10, 39383736353433323130, 0123456789, 2496655549
          6, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F, 36, 3737373770717273373737, 0123456789abcdefghi, xbj3kv35jrawxv32ysr
          7, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94, 10, '', 0123456789, 6657667009
          8, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94, 10, 39383736353433323130, 0123456789, 1001623463
          9, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94, 36, 3737373770717273373737, 0123456789abcdefghi, xs8a0azh2avyalyzuwd
          """)
  void encryptsAndDecryptsNistSample(
      int sample, String keyHex, int radix, String tweakHex, String plaintext, String ciphertext) {
    byte[] key = HexFormat.of().parseHex(keyHex);
    byte[] tweak = HexFormat.of().parseHex(tweakHex);
    assertThat(keyHex).isIn(KEY_128, KEY_192, KEY_256);
    Ff1 ff1 = new Ff1(key, radix, plaintext.length(), tweak);

    int[] encrypted = ff1.encryptNumerals(digits(plaintext, radix));

    assertThat(text(encrypted, radix)).as("sample %d", sample).isEqualTo(ciphertext);
    assertThat(text(ff1.decryptNumerals(encrypted), radix)).isEqualTo(plaintext);
    assertThat(text(BouncyCastleFf1.encrypt(key, radix, tweak, digits(plaintext, radix)), radix))
        .as("Bouncy Castle agrees with the published ciphertext")
        .isEqualTo(ciphertext);
  }

  @ParameterizedTest(name = "sample {0} via the long API")
  @CsvSource({
    "1, 2B7E151628AED2A6ABF7158809CF4F3C, '', 0123456789, 2433477484",
    "2, 2B7E151628AED2A6ABF7158809CF4F3C, 39383736353433323130, 0123456789, 6124200773",
    "4, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F, '', 0123456789, 2830668132",
    "5, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F, 39383736353433323130, 0123456789,"
        + " 2496655549",
    "7, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94, '', 0123456789,"
        + " 6657667009",
    "8, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94, 39383736353433323130,"
        + " 0123456789, 1001623463"
  })
  void radixTenSampleGivesSameResultThroughLongApi(
      int sample, String keyHex, String tweakHex, String plaintextDigits, long ciphertext) {
    Ff1 ff1 = new Ff1(HexFormat.of().parseHex(keyHex), 10, 10, HexFormat.of().parseHex(tweakHex));
    long plaintext = Long.parseLong(plaintextDigits);

    assertThat(ff1.encrypt(plaintext)).as("sample %d", sample).isEqualTo(ciphertext);
    assertThat(ff1.decrypt(ciphertext)).isEqualTo(plaintext);
  }

  private static int[] digits(String text, int radix) {
    return text.chars().map(c -> Character.digit(c, radix)).toArray();
  }

  private static String text(int[] digits, int radix) {
    StringBuilder sb = new StringBuilder(digits.length);
    for (int digit : digits) {
      sb.append(Character.forDigit(digit, radix));
    }
    return sb.toString();
  }
}
