package dev.ferry.shortener.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.ferry.shortener.link.LinkService;
import dev.ferry.shortener.link.LinkTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

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
 * <p>Threads: {@link #find} never blocks its caller, which is normally a Netty event loop. An L1
 * hit is answered on the caller's thread with a Mono made when the entry was cached; L2 is read
 * through Lettuce's reactive API; only the Postgres query runs on the bounded {@code blocking}
 * scheduler, because JDBC blocks.
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

  /** Longest a change waits for Redis to drop the old entry; Lettuce's own timeout is shorter. */
  private static final Duration INVALIDATION_TIMEOUT = Duration.ofSeconds(5);

  private final LinkService links;
  private final RedisLinkStore l2;
  private final CacheProperties properties;
  private final Scheduler blocking;
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
      LinkService links,
      RedisLinkStore l2,
      CacheProperties properties,
      Scheduler blocking,
      MeterRegistry registry) {
    this.links = links;
    this.l2 = l2;
    this.properties = properties;
    this.blocking = blocking;
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

  /**
   * The target L1 holds for {@code code}, counted as an L1 hit; null when L1 is off, does not hold
   * the code, or holds it as unknown, in which case {@link #find} is the one to ask (and count).
   * Synchronous and allocation-free: the redirect's fast path calls it on the event loop.
   */
  public LinkTarget cachedTarget(String code) {
    if (!properties.l1Enabled()) {
      return null;
    }
    CachedLookup cached = l1.getIfPresent(code);
    if (cached == null || cached.absent()) {
      return null;
    }
    l1Hits.increment();
    return cached.target();
  }

  /** Where {@code code} redirects; empty if there is no such link. */
  public Mono<LinkTarget> find(String code) {
    if (!properties.l1Enabled()) {
      return loadBelowL1(code).flatMap(CachedLookup::answer);
    }
    CachedLookup cached = l1.getIfPresent(code);
    if (cached != null) {
      l1Hits.increment();
      return cached.answer();
    }
    l1Misses.increment();
    return loads
        .load(code, this::loadBelowL1)
        .flatMap(
            loaded -> {
              l1.put(code, loaded);
              return loaded.answer();
            });
  }

  /**
   * Evicts {@code code} from every level on every instance; call after a committed change. Waits
   * for Redis (bounded by its command timeout), so that the change is visible everywhere when the
   * caller answers its client; called on a blocking-allowed thread, never on an event loop. If
   * Redis cannot take the invalidation, the code is kept and {@link #replayPendingInvalidations
   * replayed} once Redis is back.
   */
  public void invalidate(String code) {
    l1.invalidate(code);
    if (properties.l2Enabled() && !invalidateL2(code)) {
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
          if (!invalidateL2(code)) {
            return false;
          }
          l1.invalidate(code);
          return true;
        });
  }

  /**
   * Sends {@code code}'s invalidation to Redis and waits for it; whether Redis took it. Blocks:
   * only on threads that may block, never on an event loop or a Redis client thread.
   */
  private boolean invalidateL2(String code) {
    try {
      return Boolean.TRUE.equals(l2.invalidate(code).block(INVALIDATION_TIMEOUT));
    } catch (RuntimeException e) {
      // block() gave up waiting (a store timeout configured longer than ours): keep the code.
      return false;
    }
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

  private Mono<CachedLookup> loadBelowL1(String code) {
    if (!properties.l2Enabled()) {
      return loadFromDatabase(code);
    }
    return l2.get(code)
        .doOnNext(hit -> l2Hits.increment())
        .switchIfEmpty(
            Mono.defer(
                () -> {
                  l2Misses.increment();
                  return loadFromDatabase(code)
                      .flatMap(loaded -> l2.put(code, loaded).thenReturn(loaded));
                }));
  }

  private Mono<CachedLookup> loadFromDatabase(String code) {
    return Mono.fromCallable(() -> CachedLookup.of(links.findTarget(code)))
        .subscribeOn(blocking)
        .doOnNext(loaded -> (loaded.absent() ? dbMisses : dbHits).increment());
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
