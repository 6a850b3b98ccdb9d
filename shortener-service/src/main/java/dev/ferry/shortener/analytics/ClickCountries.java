package dev.ferry.shortener.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The country a click is counted under, decided by the analytics consumer so that the redirect path
 * only copies a header: the trusted edge header's ISO code when the event carries one, else the
 * country of the client address in the MaxMind database if one is configured, else {@code unknown}.
 *
 * <p>Cloudflare's {@code XX} ("no country information") counts as no header. Database lookups are
 * counted in {@code ferry.shortener.clicks.geoip{result=found|unknown}}; {@code unknown} covers
 * private and reserved addresses and any address the database does not hold.
 *
 * <p>Thread-safe: {@link GeoIpCountries} and the counters are.
 */
final class ClickCountries implements AutoCloseable {

  static final String UNKNOWN = "unknown";
  private static final Pattern ISO_CODE = Pattern.compile("[A-Za-z]{2}");

  private final GeoIpCountries database;
  private final Counter found;
  private final Counter notFound;

  /** With {@code database} null when none is configured. */
  ClickCountries(GeoIpCountries database, MeterRegistry registry) {
    this.database = database;
    this.found = lookups(registry, "found");
    this.notFound = lookups(registry, "unknown");
  }

  String of(ClickEvent event) {
    String header = event.country();
    if (header != null && ISO_CODE.matcher(header).matches() && !header.equalsIgnoreCase("XX")) {
      return header.toUpperCase(Locale.ROOT);
    }
    if (database == null) {
      return UNKNOWN;
    }
    Optional<String> country = database.isoCode(event.ip());
    (country.isPresent() ? found : notFound).increment();
    return country.orElse(UNKNOWN);
  }

  @Override
  public void close() throws IOException {
    if (database != null) {
      database.close();
    }
  }

  private static Counter lookups(MeterRegistry registry, String result) {
    return Counter.builder("ferry.shortener.clicks.geoip")
        .description("Click countries looked up in the MaxMind database, by outcome")
        .tag("result", result)
        .register(registry);
  }
}
