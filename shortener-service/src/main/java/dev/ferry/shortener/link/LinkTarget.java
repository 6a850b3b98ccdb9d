package dev.ferry.shortener.link;

import java.time.Instant;

/**
 * What the redirect path needs to know of a link, and all that the caches hold.
 *
 * @param longUrl the redirect destination
 * @param status 301, 302, 307 or 308
 * @param expiresAt when the link starts answering 410; null for never
 * @param visitLimited whether each visit must be counted in Postgres before it is served, because
 *     the link has {@code max_visits}
 */
public record LinkTarget(String longUrl, int status, Instant expiresAt, boolean visitLimited) {

  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
