package dev.ferry.shortener.link;

import java.time.Instant;
import java.util.List;

/**
 * A request to create one link, after the web layer parsed it.
 *
 * @param longUrl destination
 * @param customAlias the code the caller wants; null for a generated code
 * @param expiresAt expiry; null for never
 * @param maxVisits visit limit; null for none
 * @param tags labels, never null
 * @param redirectType redirect status; null for the default (301)
 */
public record ShortenCommand(
    String longUrl,
    String customAlias,
    Instant expiresAt,
    Long maxVisits,
    List<String> tags,
    Integer redirectType) {

  public ShortenCommand {
    tags = tags == null ? List.of() : tags;
  }
}
