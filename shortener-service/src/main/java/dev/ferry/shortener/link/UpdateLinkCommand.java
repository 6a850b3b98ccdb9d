package dev.ferry.shortener.link;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Changes to one link; a null component leaves that property as it is.
 *
 * @param longUrl new destination
 * @param expiresAt new expiry; empty to remove the expiry
 * @param maxVisits new visit limit; empty to remove the limit
 * @param tags new labels (replacing the old ones)
 * @param redirectType new redirect status
 */
public record UpdateLinkCommand(
    String longUrl,
    Optional<Instant> expiresAt,
    Optional<Long> maxVisits,
    List<String> tags,
    Integer redirectType) {}
