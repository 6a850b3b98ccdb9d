package dev.ferry.keygen.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base62CodesTest {

  @ParameterizedTest(name = "{0} <-> {1}")
  @CsvSource({
    "0, 0000000",
    "9, 0000009",
    "10, 000000a",
    "35, 000000z",
    "36, 000000A",
    "61, 000000Z",
    "62, 0000010",
    "3521614606207, ZZZZZZZ"
  })
  void formatsDigitsMostSignificantFirstInAlphabetOrder(long value, String code) {
    assertThat(Base62Codes.format(value)).isEqualTo(code);
    assertThat(Base62Codes.parse(code)).isEqualTo(value);
  }

  @Test
  void parseInvertsFormatForRandomValues() {
    new SplittableRandom(7)
        .longs(10_000, 0, Base62Codes.KEYSPACE)
        .forEach(
            value -> assertThat(Base62Codes.parse(Base62Codes.format(value))).isEqualTo(value));
  }

  @ParameterizedTest(name = "value {0}")
  @ValueSource(longs = {-1, 3_521_614_606_208L})
  void rejectsValueOutsideCodeSpace(long value) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Base62Codes.format(value))
        .withMessage("value " + value + " is outside the code space [0, 3521614606208)");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", "abc", "abcdef", "abcdefgh"})
  void rejectsCodeOfWrongLength(String code) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Base62Codes.parse(code))
        .withMessage("code must be 7 characters, was " + code.length() + ": '" + code + "'");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"abc-efg", "abc efg", "abcdef_", "é000000", "000000\u0100"})
  void rejectsCodeWithCharacterOutsideAlphabet(String code) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Base62Codes.parse(code))
        .withMessageContaining("has a character outside [0-9a-zA-Z]");
  }
}
