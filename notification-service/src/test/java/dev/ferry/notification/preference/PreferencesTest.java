package dev.ferry.notification.preference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.Channel;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreferencesTest {

  @ParameterizedTest(name = "{0}-{1} in {2} at {3} → {4}")
  @CsvSource({
    // start, end, zone, now (UTC), quiet until (empty = not quiet)
    "22:00, 07:00, UTC, 2026-03-01T23:30:00Z, 2026-03-02T07:00:00Z",
    "22:00, 07:00, UTC, 2026-03-01T03:00:00Z, 2026-03-01T07:00:00Z",
    "22:00, 07:00, UTC, 2026-03-01T07:00:00Z, ",
    "22:00, 07:00, UTC, 2026-03-01T21:59:59Z, ",
    "22:00, 07:00, UTC, 2026-03-01T22:00:00Z, 2026-03-02T07:00:00Z",
    "13:00, 15:00, UTC, 2026-03-01T14:00:00Z, 2026-03-01T15:00:00Z",
    "13:00, 15:00, UTC, 2026-03-01T15:00:00Z, ",
    "22:00, 07:00, Europe/Berlin, 2026-03-01T22:30:00Z, 2026-03-02T06:00:00Z",
    "22:00, 07:00, America/New_York, 2026-03-01T22:30:00Z, ",
    "01:00, 04:00, Europe/Berlin, 2026-03-29T00:30:00Z, 2026-03-29T02:00:00Z",
    "09:00, 09:00, UTC, 2026-03-01T09:00:00Z, "
  })
  void quietHoursEndAtTheLocalEndTime(
      String start, String end, String zone, Instant now, Instant expected) {
    Preferences preferences =
        new Preferences(
            Map.of(), Map.of(), LocalTime.parse(start), LocalTime.parse(end), ZoneId.of(zone));

    assertThat(preferences.quietUntil(now).orElse(null)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "channel {0}, type {1} → {2}")
  @CsvSource({
    "SMS, promo, false",
    "SMS, order_update, true",
    "EMAIL, promo, true",
    "PUSH, promo, false"
  })
  void typeOverridesWinOverChannelSwitches(Channel channel, String type, boolean allowed) {
    Preferences preferences =
        new Preferences(
            Map.of(Channel.PUSH, false),
            Map.of("promo", Map.of(Channel.SMS, false)),
            null,
            null,
            ZoneId.of("UTC"));

    assertThat(preferences.allows(channel, type)).isEqualTo(allowed);
  }
}
