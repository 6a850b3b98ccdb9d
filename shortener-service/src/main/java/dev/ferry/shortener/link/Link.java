package dev.ferry.shortener.link;

import java.time.Instant;
import java.util.List;

/**
 * A stored short link.
 *
 * @param code the short code (generated or a custom alias); unique across all shards
 * @param longUrl where it redirects
 * @param owner the API key owner who made it; null for anonymous links, which nobody can change
 * @param customAlias whether the code was chosen by the caller
 * @param redirectType the redirect status
 * @param tags the owner's labels
 * @param createdAt creation time
 * @param updatedAt time of the last change
 * @param expiresAt after this instant the link answers 410; null for never
 * @param maxVisits the visit that reaches this count is the last one served; null for unlimited
 * @param visits visits counted against {@code maxVisits}
 * @param clickCount human clicks counted by analytics
 */
public record Link(
    String code,
    String longUrl,
    String owner,
    boolean customAlias,
    RedirectType redirectType,
    List<String> tags,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt,
    Long maxVisits,
    long visits,
    long clickCount) {

  public LinkTarget target() {
    return new LinkTarget(longUrl, redirectType.status(), expiresAt, maxVisits != null);
  }
}
