package dev.ferry.shortener.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.shortener.link.LinkTarget;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LookupCodecTest {

  @Test
  void roundTripsATargetWhoseUrlContainsTheSeparator() {
    CachedLookup lookup =
        new CachedLookup(
            new LinkTarget(
                "https://example.com/a|b?c=|d",
                308,
                Instant.ofEpochMilli(1_800_000_000_123L),
                true));

    assertThat(LookupCodec.decode(LookupCodec.encode(lookup))).isEqualTo(lookup);
  }

  @Test
  void roundTripsATargetWithoutExpiryAndTheAbsentMarker() {
    CachedLookup lookup =
        new CachedLookup(new LinkTarget("https://example.com/", 301, null, false));

    assertThat(LookupCodec.decode(LookupCodec.encode(lookup))).isEqualTo(lookup);
    assertThat(LookupCodec.decode(LookupCodec.encode(CachedLookup.ABSENT)).absent()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2|301|-|0|x", "1|abc|-|0|x", "1|301|soon|0|x", "1|301|-"})
  void unknownFormatsDecodeToNullSoTheyAreTreatedAsMisses(String value) {
    assertThat(LookupCodec.decode(value)).isNull();
  }
}
