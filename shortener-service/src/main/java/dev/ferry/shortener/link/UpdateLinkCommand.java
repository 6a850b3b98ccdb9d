package dev.ferry.shortener.link;

import java.time.Instant;
import java.util.List;

/**
 * Changes to one link; a null component leaves that property as it is.
 *
 * @param longUrl new destination
 * @param expiresAt new expiry
 * @param maxVisits new visit limit
 * @param tags new labels (replacing the old ones)
 * @param redirectType new redirect status
 */
public record UpdateLinkCommand(
    String longUrl, Instant expiresAt, Long maxVisits, List<String> tags, Integer redirectType) {}
