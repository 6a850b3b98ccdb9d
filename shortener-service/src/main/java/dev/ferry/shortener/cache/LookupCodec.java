package dev.ferry.shortener.cache;

import dev.ferry.shortener.link.LinkTarget;
import java.time.Instant;

/**
 * The L2 (Redis) value format of a {@link CachedLookup}: {@code 0} for a known-absent code, or
 * {@code 1|status|expiresAtEpochMillis or -|visitLimited 0/1|longUrl}. The URL comes last, so it
 * may itself contain {@code |}. A compact string rather than JSON keeps the L2 hit path to one
 * small GET and a split, with no reflection.
 *
 * <p>Stateless and thread-safe.
 */
final class LookupCodec {

  private LookupCodec() {}

  static String encode(CachedLookup lookup) {
    if (lookup.absent()) {
      return "0";
    }
    LinkTarget target = lookup.target();
    return "1|"
        + target.status()
        + '|'
        + (target.expiresAt() == null ? "-" : Long.toString(target.expiresAt().toEpochMilli()))
        + '|'
        + (target.visitLimited() ? '1' : '0')
        + '|'
        + target.longUrl();
  }

  /** The lookup encoded in {@code value}, or null if the value is not in this format. */
  static CachedLookup decode(String value) {
    if (value.equals("0")) {
      return CachedLookup.ABSENT;
    }
    String[] parts = value.split("\\|", 5);
    if (parts.length != 5 || !parts[0].equals("1")) {
      return null;
    }
    try {
      Instant expiresAt =
          parts[2].equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(parts[2]));
      return new CachedLookup(
          new LinkTarget(parts[4], Integer.parseInt(parts[1]), expiresAt, parts[3].equals("1")));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
