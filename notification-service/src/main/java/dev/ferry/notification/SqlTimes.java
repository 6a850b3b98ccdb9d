package dev.ferry.notification;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Instants as the repositories hand them to Postgres; a null instant stays null. */
public final class SqlTimes {

  private SqlTimes() {}

  /** {@code instant} as a UTC {@code OffsetDateTime}, the JDBC type of a {@code TIMESTAMPTZ}. */
  public static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /**
   * {@code instant} as ISO-8601 text in UTC, which Postgres casts to a {@code TIMESTAMPTZ}: the
   * element type of the text arrays that multi-row ({@code unnest}) statements bind.
   */
  public static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
