package dev.ferry.shortener.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.ferry.shortener.link.LinkService;
import dev.ferry.shortener.link.LinkTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;

/**
 * The redirect path's view of links: cache-aside over two levels, L1 Caffeine in this instance and
 * L2 Redis shared by all, in front of the Postgres shards.
 *
 * <p>A lookup tries L1, then (once per code at a time, through {@link SingleFlight}) L2, then
 * Postgres, filling the levels it missed on the way back. "No such code" is cached too, for a short
 * TTL, so a flood of random codes reaches Postgres once per code and TTL rather than once per
 * request. Entries are invalidated on change through {@link #invalidate(String)}, which evicts this
 * instance's L1 directly and, through Redis pub/sub, every other instance's.
 *
 * <p>Redis outages lose no invalidation: a code whose L2 delete or message failed is kept in {@link
 * PendingInvalidations} and replayed when Redis is back, and an instance empties its whole L1 when
 * its subscription comes back, since it cannot know which messages it missed.
 *
 * <p>Known window: a load that races an invalidation can put the pre-change value into L1; the L1
 * TTL bounds how long it stays.
 *
 * <p>Metrics: {@code ferry.shortener.cache.lookups} with tags {@code level} (l1, l2, db) and {@code
 * result} (hit, miss); {@code ferry.shortener.cache.l1.resets}; those of {@link
 * PendingInvalidations}.
 *
 * <p>Thread-safe: Caffeine and {@link SingleFlight} are; the counters are.
 */
public final class LinkCache {

  private final LinkService links;
  private final RedisLinkStore l2;
  private final CacheProperties properties;
  private final Cache<String, CachedLookup> l1;
  private final SingleFlight<String, CachedLookup> loads = new SingleFlight<>();
  private final PendingInvalidations pending;
  private final Counter l1Resets;
  private final Counter l1Hits;
  private final Counter l1Misses;
  private final Counter l2Hits;
  private final Counter l2Misses;
  private final Counter dbHits;
  private final Counter dbMisses;

  LinkCache(
      LinkService links, RedisLinkStore l2, CacheProperties properties, MeterRegistry registry) {
    this.links = links;
    this.l2 = l2;
    this.properties = properties;
    this.l1 =
        Caffeine.newBuilder()
            .maximumSize(properties.l1MaxEntries())
            .expireAfter(new LookupExpiry(properties))
            .build();
    this.l1Hits = lookups(registry, "l1", "hit");
    this.l1Misses = lookups(registry, "l1", "miss");
    this.l2Hits = lookups(registry, "l2", "hit");
    this.l2Misses = lookups(registry, "l2", "miss");
    this.dbHits = lookups(registry, "db", "hit");
    this.dbMisses = lookups(registry, "db", "miss");
    this.pending = new PendingInvalidations(properties.maxPendingInvalidations(), registry);
    this.l1Resets =
        Counter.builder("ferry.shortener.cache.l1.resets")
            .description(
                "Times this instance emptied its L1 after (re-)subscribing to invalidations")
            .register(registry);
  }

  /** Where {@code code} redirects; empty if there is no such link. */
  public Optional<LinkTarget> find(String code) {
    if (!properties.l1Enabled()) {
      return loadBelowL1(code).asOptional();
    }
    CachedLookup cached = l1.getIfPresent(code);
    if (cached != null) {
      l1Hits.increment();
      return cached.asOptional();
    }
    l1Misses.increment();
    CachedLookup loaded = loads.load(code, this::loadBelowL1);
    l1.put(code, loaded);
    return loaded.asOptional();
  }

  /**
   * Evicts {@code code} from every level on every instance; call after a committed change. If Redis
   * cannot take the invalidation, the code is kept and {@link #replayPendingInvalidations replayed}
   * once Redis is back.
   */
  public void invalidate(String code) {
    l1.invalidate(code);
    if (properties.l2Enabled() && !l2.invalidate(code)) {
      pending.add(code);
    }
  }

  /**
   * Sends the invalidations Redis could not take before (L2 delete and pub/sub message), evicting
   * each code from this instance's L1 too, since it may have loaded the stale L2 entry meanwhile.
   * Stops at the first failure; the rest wait for the next call. Blocks on Redis: never call it on
   * a Redis client thread.
   *
   * @return how many were sent
   */
  int replayPendingInvalidations() {
    return pending.replay(
        code -> {
          if (!l2.invalidate(code)) {
            return false;
          }
          l1.invalidate(code);
          return true;
        });
  }

  /** Evicts {@code code} from this instance's L1 only; the pub/sub listener calls this. */
  void evictLocal(String code) {
    l1.invalidate(code);
  }

  /**
   * Empties this instance's L1. Called when the invalidation subscription is (re-)established:
   * messages published while it was down were missed, and which codes they named is unknown.
   */
  void evictAllLocal() {
    l1.invalidateAll();
    l1Resets.increment();
  }

  int pendingInvalidations() {
    return pending.size();
  }

  long l1Size() {
    l1.cleanUp();
    return l1.estimatedSize();
  }

  private CachedLookup loadBelowL1(String code) {
    if (properties.l2Enabled()) {
      CachedLookup cached = l2.get(code);
      if (cached != null) {
        l2Hits.increment();
        return cached;
      }
      l2Misses.increment();
    }
    CachedLookup loaded = CachedLookup.of(links.findTarget(code));
    (loaded.absent() ? dbMisses : dbHits).increment();
    if (properties.l2Enabled()) {
      l2.put(code, loaded);
    }
    return loaded;
  }

  private static Counter lookups(MeterRegistry registry, String level, String result) {
    return Counter.builder("ferry.shortener.cache.lookups")
        .description("Link lookups of the redirect path by cache level and outcome")
        .tag("level", level)
        .tag("result", result)
        .register(registry);
  }

  /** Positive entries live for the L1 TTL, negative ones for the shorter negative TTL. */
  private record LookupExpiry(CacheProperties properties) implements Expiry<String, CachedLookup> {

    @Override
    public long expireAfterCreate(String code, CachedLookup lookup, long currentTime) {
      return Duration.ofSeconds(
              lookup.absent() ? properties.negativeTtlSeconds() : properties.l1TtlSeconds())
          .toNanos();
    }

    @Override
    public long expireAfterUpdate(
        String code, CachedLookup lookup, long currentTime, long currentDuration) {
      return expireAfterCreate(code, lookup, currentTime);
    }

    @Override
    public long expireAfterRead(
        String code, CachedLookup lookup, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
