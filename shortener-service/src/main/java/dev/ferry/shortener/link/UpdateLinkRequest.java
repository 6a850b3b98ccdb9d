package dev.ferry.shortener.link;

import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Body of {@code PATCH /api/v1/urls/{code}}; absent or null fields stay as they are. */
public record UpdateLinkRequest(
    @Size(max = 65536) String longUrl,
    Instant expiresAt,
    Long maxVisits,
    @Size(max = 1000) List<String> tags,
    Integer redirectType) {

  UpdateLinkCommand toCommand() {
    return new UpdateLinkCommand(longUrl, expiresAt, maxVisits, tags, redirectType);
  }
}
