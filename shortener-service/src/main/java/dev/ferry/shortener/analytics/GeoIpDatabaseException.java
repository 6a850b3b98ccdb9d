package dev.ferry.shortener.analytics;

import java.nio.file.Path;

/**
 * The configured MaxMind database ({@code ferry.shortener.analytics.geoip-database}) cannot serve
 * country lookups. Thrown at start-up, so that a wrong path stops the instance with a message
 * naming the property instead of recording every country as unknown.
 */
public final class GeoIpDatabaseException extends RuntimeException {

  private static final String PROPERTY = "ferry.shortener.analytics.geoip-database";

  private GeoIpDatabaseException(String message, Throwable cause) {
    super(message, cause);
  }

  static GeoIpDatabaseException missing(Path path) {
    return new GeoIpDatabaseException(
        PROPERTY + " names " + path.toAbsolutePath() + ", which is not a readable file", null);
  }

  static GeoIpDatabaseException unreadable(Path path, Exception cause) {
    return new GeoIpDatabaseException(
        PROPERTY
            + " names "
            + path.toAbsolutePath()
            + ", which is not a MaxMind DB file: "
            + cause.getMessage(),
        cause);
  }

  static GeoIpDatabaseException notCountry(Path path, String databaseType) {
    return new GeoIpDatabaseException(
        PROPERTY
            + " names "
            + path.toAbsolutePath()
            + ", a "
            + databaseType
            + " database; a GeoLite2/GeoIP2 Country, City or Enterprise database is needed",
        null);
  }
}
