package dev.ferry.shortener.cache;

import dev.ferry.shortener.link.LinkTarget;
import java.util.Optional;

/**
 * One cached answer to "where does this code go?": a target, or the remembered fact that there is
 * no such link (negative caching).
 *
 * @param target the link's target; null when the code does not exist
 */
record CachedLookup(LinkTarget target) {

  static final CachedLookup ABSENT = new CachedLookup(null);

  static CachedLookup of(Optional<LinkTarget> target) {
    return target.map(CachedLookup::new).orElse(ABSENT);
  }

  boolean absent() {
    return target == null;
  }

  Optional<LinkTarget> asOptional() {
    return Optional.ofNullable(target);
  }
}
