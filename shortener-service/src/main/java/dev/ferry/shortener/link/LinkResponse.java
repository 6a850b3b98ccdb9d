package dev.ferry.shortener.link;

import java.time.Instant;
import java.util.List;

/** A link as the API shows it. */
public record LinkResponse(
    String shortCode,
    String shortUrl,
    String longUrl,
    Instant expiresAt,
    Instant createdAt,
    Instant updatedAt,
    Long maxVisits,
    long visits,
    long clickCount,
    List<String> tags,
    int redirectType,
    boolean customAlias) {

  static LinkResponse of(Link link, LinkProperties properties) {
    return new LinkResponse(
        link.code(),
        properties.shortUrl(link.code()),
        link.longUrl(),
        link.expiresAt(),
        link.createdAt(),
        link.updatedAt(),
        link.maxVisits(),
        link.visits(),
        link.clickCount(),
        link.tags(),
        link.redirectType().status(),
        link.customAlias());
  }
}
