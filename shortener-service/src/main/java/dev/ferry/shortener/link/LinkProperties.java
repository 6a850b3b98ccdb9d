package dev.ferry.shortener.link;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Rules for creating links.
 *
 * @param publicBaseUrl the address short links are served under; {@code short_url} is this plus the
 *     code, and long URLs pointing at its host are refused (a link to itself loops)
 * @param maxUrlLength longest accepted long URL, in characters
 * @param blockedHosts hosts refused as destinations, with all their subdomains
 * @param reservedWords aliases refused because they are, or may become, paths of this service;
 *     compared ignoring case
 * @param maxBatchSize most links in one batch request
 * @param maxTags most tags on one link
 * @param idempotencyKeyRetentionHours how long an {@code Idempotency-Key} of a shorten request is
 *     remembered; at least the 24 hours clients are promised
 * @param keygen the keygen-service client's buffer
 */
@Validated
@ConfigurationProperties("ferry.shortener.links")
public record LinkProperties(
    @NotNull @DefaultValue("http://localhost:8080") URI publicBaseUrl,
    @Min(64) @Max(8192) @DefaultValue("2048") int maxUrlLength,
    @DefaultValue List<String> blockedHosts,
    @DefaultValue({
          "api",
          "actuator",
          "health",
          "admin",
          "login",
          "logout",
          "static",
          "assets",
          "swagger-ui",
          "v3",
          "docs",
          "openapi",
          "qr",
          "metrics",
          "favicon"
        })
        List<String> reservedWords,
    @Min(1) @Max(1000) @DefaultValue("1000") int maxBatchSize,
    @Min(0) @Max(100) @DefaultValue("20") int maxTags,
    @Min(24) @Max(8760) @DefaultValue("24") int idempotencyKeyRetentionHours,
    @Valid @DefaultValue Keygen keygen) {

  /**
   * @param baseUrl where keygen-service listens
   * @param batchSize codes fetched per request
   * @param lowWatermark buffer level that starts a background refill
   * @param capacity most codes buffered
   * @param timeoutMs connect and read timeout of one fetch
   */
  public record Keygen(
      @NotNull @DefaultValue("http://localhost:8081") URI baseUrl,
      @Min(1) @Max(10_000) @DefaultValue("1000") int batchSize,
      @Min(0) @DefaultValue("1000") int lowWatermark,
      @Min(1) @Max(1_000_000) @DefaultValue("5000") int capacity,
      @Min(10) @Max(60_000) @DefaultValue("2000") int timeoutMs) {}

  /** The short URL of {@code code}. */
  public String shortUrl(String code) {
    String base = publicBaseUrl.toString();
    return base.endsWith("/") ? base + code : base + "/" + code;
  }
}
