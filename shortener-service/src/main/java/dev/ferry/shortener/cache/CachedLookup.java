package dev.ferry.shortener.cache;

import dev.ferry.shortener.link.LinkTarget;
import java.util.Objects;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * One cached answer to "where does this code go?": a target, or the remembered fact that there is
 * no such link (negative caching).
 *
 * <p>The answer is also held as a ready {@link Mono}, built once when the entry is made, so that an
 * L1 hit hands the redirect its answer without allocating. Not a record for that reason: two
 * lookups are equal when their targets are, whatever Mono instance each holds.
 *
 * <p>Immutable.
 */
final class CachedLookup {

  static final CachedLookup ABSENT = new CachedLookup(null);

  private final LinkTarget target;
  private final Mono<LinkTarget> answer;

  /** A lookup of {@code target}; null when the code does not exist. */
  CachedLookup(LinkTarget target) {
    this.target = target;
    this.answer = target == null ? Mono.empty() : Mono.just(target);
  }

  static CachedLookup of(Optional<LinkTarget> target) {
    return target.map(CachedLookup::new).orElse(ABSENT);
  }

  /** The link's target; null when the code does not exist. */
  LinkTarget target() {
    return target;
  }

  /** The target as a Mono, empty when the code does not exist; the same instance every time. */
  Mono<LinkTarget> answer() {
    return answer;
  }

  boolean absent() {
    return target == null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CachedLookup lookup && Objects.equals(target, lookup.target);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(target);
  }

  @Override
  public String toString() {
    return "CachedLookup[" + target + "]";
  }
}
