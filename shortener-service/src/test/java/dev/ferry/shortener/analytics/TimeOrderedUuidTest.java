package dev.ferry.shortener.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedUuidTest {

  private static final Instant AT = Instant.parse("2026-11-28T09:55:00.123Z");

  @Test
  void isAVersion7UuidCarryingItsMillisecond() {
    UUID id = ClickRecorder.timeOrderedUuid(AT);

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(AT.toEpochMilli());
  }

  @Test
  void idsOfLaterClicksSortAfterEarlierOnesTheWayPostgresComparesThem() {
    // Postgres orders uuid bytewise, as their canonical strings sort; UUID.compareTo is signed.
    String earlier = ClickRecorder.timeOrderedUuid(AT).toString();
    String later = ClickRecorder.timeOrderedUuid(AT.plusMillis(1)).toString();

    assertThat(earlier).isLessThan(later);
  }

  @Test
  void clicksOfTheSameMillisecondStillGetDistinctIds() {
    Set<UUID> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(ClickRecorder.timeOrderedUuid(AT));
    }

    assertThat(ids).hasSize(100_000);
  }
}
