package dev.ferry.shortener.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lookups in the fixture written by {@code src/test/resources/geoip/make-test-mmdb.pl}, through
 * MaxMind's real reader: its networks give their countries, everything else none.
 */
class GeoIpCountriesTest {

  private static GeoIpCountries countries;

  @BeforeAll
  static void open() {
    countries = GeoIpCountries.open(fixture("test-country.mmdb"));
  }

  @AfterAll
  static void close() throws Exception {
    countries.close();
  }

  static Path fixture(String name) {
    try {
      return Path.of(GeoIpCountriesTest.class.getResource("/geoip/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "81.2.69.142, GB",
    "81.2.69.0, GB",
    "81.2.69.255, GB",
    "89.160.20.115, SE",
    "216.160.83.56, US",
    "2001:218::1, JP",
    "2001:218:ffff:ffff::1, JP",
    "2a02:d400::1, DE",
    "2a02:d407:ffff::1, DE",
    "::ffff:81.2.69.1, GB"
  })
  void addressesInTheDatabaseHaveTheirCountry(String ip, String country) {
    assertThat(countries.isoCode(ip)).contains(country);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "81.2.70.1",
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "::1",
        "0:0:0:0:0:0:0:1",
        "2001:db8::1",
        "2a02:d408::1",
        "256.1.1.1",
        "1.2.3",
        "localhost",
        "example.com",
        "",
        "::ffff::zz"
      })
  void otherAddressesAndNonAddressesHaveNone(String ip) {
    assertThat(countries.isoCode(ip)).isEmpty();
  }

  @Test
  void theEdgeHeaderWinsAndTheDatabaseAnswersWithoutIt() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ClickCountries clickCountries = new ClickCountries(countries, registry);

    assertThat(clickCountries.of(click("81.2.69.142", "fr"))).isEqualTo("FR");
    assertThat(clickCountries.of(click("81.2.69.142", null))).isEqualTo("GB");
    assertThat(clickCountries.of(click("81.2.69.142", "XX"))).isEqualTo("GB");
    assertThat(clickCountries.of(click("81.2.69.142", "not a country"))).isEqualTo("GB");
    assertThat(clickCountries.of(click("10.0.0.1", null))).isEqualTo("unknown");
    assertThat(clickCountries.of(click(null, null))).isEqualTo("unknown");

    assertThat(
            registry.get("ferry.shortener.clicks.geoip").tag("result", "found").counter().count())
        .isEqualTo(3.0);
    assertThat(
            registry.get("ferry.shortener.clicks.geoip").tag("result", "unknown").counter().count())
        .isEqualTo(2.0);
  }

  @Test
  void withoutADatabaseOnlyTheHeaderCounts() {
    ClickCountries clickCountries = new ClickCountries(null, new SimpleMeterRegistry());

    assertThat(clickCountries.of(click("81.2.69.142", "de"))).isEqualTo("DE");
    assertThat(clickCountries.of(click("81.2.69.142", null))).isEqualTo("unknown");
  }

  @Test
  void aMissingFileIsRefusedNamingTheProperty() {
    Path missing = fixture("test-country.mmdb").resolveSibling("no-such.mmdb");

    assertThatThrownBy(() -> GeoIpCountries.open(missing))
        .isInstanceOf(GeoIpDatabaseException.class)
        .hasMessageContaining("ferry.shortener.analytics.geoip-database")
        .hasMessageContaining("no-such.mmdb");
  }

  @Test
  void aFileThatIsNoMaxMindDatabaseIsRefused() {
    assertThatThrownBy(() -> GeoIpCountries.open(fixture("make-test-mmdb.pl")))
        .isInstanceOf(GeoIpDatabaseException.class)
        .hasMessageContaining("not a MaxMind DB file");
  }

  @Test
  void aDatabaseWithoutCountriesIsRefused() {
    assertThatThrownBy(() -> GeoIpCountries.open(fixture("test-asn.mmdb")))
        .isInstanceOf(GeoIpDatabaseException.class)
        .hasMessageContaining("GeoLite2-ASN");
  }

  private static ClickEvent click(String ip, String country) {
    return new ClickEvent(UUID.randomUUID(), "code", Instant.now(), ip, null, null, country);
  }
}
