package dev.ferry.shortener.analytics;

import com.maxmind.db.CHMCache;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.record.Country;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Country lookups in a MaxMind GeoLite2/GeoIP2 database file (Country, City or Enterprise), through
 * MaxMind's own reader. The file is memory-mapped; decoded records are kept in a {@link CHMCache},
 * so the consumer's repeated lookups of popular networks do not decode the same record again.
 *
 * <p>Addresses come from Kafka records, so they are checked to be IP literals before they reach
 * {@link InetAddress#getByName}, which would otherwise resolve a host name through DNS.
 *
 * <p>Thread-safe: {@link DatabaseReader} and {@link CHMCache} are.
 */
final class GeoIpCountries implements Closeable {

  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final DatabaseReader reader;

  private GeoIpCountries(DatabaseReader reader) {
    this.reader = reader;
  }

  /**
   * Opens the database at {@code path} and checks that it answers country lookups.
   *
   * @throws GeoIpDatabaseException if the file is missing, is no MaxMind DB, or holds no countries
   */
  static GeoIpCountries open(Path path) {
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw GeoIpDatabaseException.missing(path);
    }
    DatabaseReader reader;
    try {
      reader = new DatabaseReader.Builder(path.toFile()).withCache(new CHMCache()).build();
    } catch (IOException | RuntimeException e) {
      throw GeoIpDatabaseException.unreadable(path, e);
    }
    try {
      // A database without countries (ASN, ISP, ...) refuses the lookup by its type.
      reader.tryCountry(InetAddress.getLoopbackAddress());
    } catch (UnsupportedOperationException e) {
      closeQuietly(reader);
      throw GeoIpDatabaseException.notCountry(path, reader.getMetadata().getDatabaseType());
    } catch (IOException | GeoIp2Exception e) {
      closeQuietly(reader);
      throw GeoIpDatabaseException.unreadable(path, e);
    }
    return new GeoIpCountries(reader);
  }

  /**
   * The ISO 3166-1 alpha-2 code of the country of {@code ip}; empty if {@code ip} is not an IP
   * literal or the database has no country for it (private and reserved ranges never have one).
   */
  Optional<String> isoCode(String ip) {
    if (ip == null || !(IPV4.matcher(ip).matches() || IPV6.matcher(ip).matches())) {
      return Optional.empty();
    }
    try {
      return reader
          .tryCountry(InetAddress.getByName(ip))
          .map(CountryResponse::getCountry)
          .map(Country::getIsoCode)
          .map(code -> code.toUpperCase(Locale.ROOT));
    } catch (IOException | GeoIp2Exception e) {
      // An address the JDK cannot parse, or a damaged record: the click is still counted, with
      // an unknown country, rather than failing its batch (which would be retried for ever).
      return Optional.empty();
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  private static void closeQuietly(DatabaseReader reader) {
    try {
      reader.close();
    } catch (IOException e) {
      // The reader is given up because the database is unusable; the start-up error says why.
    }
  }
}
