package dev.ferry.shortener.analytics;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Click analytics through Kafka.
 *
 * @param topic topic of click events, keyed by short code so that one code's clicks stay in order
 *     on one partition and one consumer
 * @param partitions partitions the topic is created with, if it does not exist
 * @param queueCapacity clicks buffered between the redirect threads and the Kafka producer; when
 *     full (Kafka slow or down) further clicks are dropped and counted, never waited for
 * @param retrySeconds how long a click Kafka has not taken is kept and offered again (Kafka down or
 *     restarting) before it is dropped and counted; the queue bounds the memory this takes
 * @param countryHeader request header a trusted edge (CDN, load balancer) sets to the client's ISO
 *     country code, e.g. {@code CF-IPCountry}; blank for none. A click with the header is counted
 *     under it, whatever the GeoIP database says
 * @param geoipDatabase a MaxMind GeoLite2/GeoIP2 Country, City or Enterprise database file ({@code
 *     .mmdb}); the analytics consumer looks up the country of a click's address in it when the
 *     click has no country header. Unset: such clicks are counted under {@code unknown}. Checked at
 *     start-up: a file that is missing or no country database stops the instance
 * @param closeTimeoutSeconds how long a shutdown goes on offering queued clicks to Kafka before it
 *     counts the rest as dropped
 * @param dedupRetentionDays how long counted click batch ids are remembered; a replay older than
 *     this would be counted again
 * @param maxRangeDays widest {@code from..to} range an analytics query may ask for
 */
@Validated
@ConfigurationProperties("ferry.shortener.analytics")
public record AnalyticsProperties(
    @NotBlank @DefaultValue("ferry.link-clicks") String topic,
    @Min(1) @Max(1000) @DefaultValue("3") int partitions,
    @Min(1) @Max(10_000_000) @DefaultValue("100000") int queueCapacity,
    @Min(1) @Max(86_400) @DefaultValue("600") int retrySeconds,
    @DefaultValue("CF-IPCountry") String countryHeader,
    Path geoipDatabase,
    @Min(0) @Max(300) @DefaultValue("5") int closeTimeoutSeconds,
    @Min(1) @Max(365) @DefaultValue("7") int dedupRetentionDays,
    @Min(1) @Max(3660) @DefaultValue("366") int maxRangeDays) {}
