package dev.ferry.shortener.link;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST /api/v1/shorten} and one item of a batch. The size caps only keep absurd
 * input away from the validator; the real rules are in {@link LinkValidator}.
 */
public record ShortenRequest(
    @NotBlank(message = "is required") @Size(max = 65536) String longUrl,
    @Size(max = 256) String customAlias,
    Instant expiresAt,
    Long maxVisits,
    @Size(max = 1000) List<String> tags,
    Integer redirectType) {

  ShortenCommand toCommand() {
    return new ShortenCommand(longUrl, customAlias, expiresAt, maxVisits, tags, redirectType);
  }
}
