package dev.ferry.shortener.link;

import dev.ferry.shortener.apikey.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import tools.jackson.databind.json.JsonMapper;

/**
 * Shorten with an {@code Idempotency-Key}: the first request with a key claims it in Postgres and
 * makes the link; a replay with the same key and the same request gets that link back instead of a
 * second one; the same key with another request is refused.
 *
 * <p>Concurrent replays: the claim is an {@code INSERT ... ON CONFLICT DO NOTHING}, so exactly one
 * request makes the link; the others poll the claim (every {@value #POLL_MILLIS} ms, on their
 * blocking thread, for at most {@link #REPLAY_WAIT}) until it names the link. A request that fails
 * releases its claim, so a retry tries afresh. A claim left behind by an instance that died while
 * making the link is taken over once it is older than {@link #ABANDONED_AFTER}.
 *
 * <p>"The same request" is the same parsed body: the {@link ShortenRequest} serialised to JSON (its
 * record components in a fixed order) and hashed, so whitespace and field order do not matter. Keys
 * are kept at least {@code ferry.shortener.links.idempotency-key-retention-hours}.
 *
 * <p>Thread-safe: stateless; the database row is the only shared state.
 */
public final class IdempotentShortener {

  private static final Logger log = LoggerFactory.getLogger(IdempotentShortener.class);
  private static final long POLL_MILLIS = 50;
  private static final Duration REPLAY_WAIT = Duration.ofSeconds(10);
  private static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);

  /** The link a request made, or the one an earlier request with the same key made. */
  public record Outcome(Link link, boolean replayed) {}

  private final LinkService links;
  private final LinkRepository linkRepository;
  private final IdempotencyRepository keys;
  private final JsonMapper json;
  private final LinkProperties properties;
  private final Clock clock;

  IdempotentShortener(
      LinkService links,
      LinkRepository linkRepository,
      IdempotencyRepository keys,
      JsonMapper json,
      LinkProperties properties,
      Clock clock) {
    this.links = links;
    this.linkRepository = linkRepository;
    this.keys = keys;
    this.json = json;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Creates the link of {@code request} once per {@code key} of {@code caller}.
   *
   * @throws IdempotencyKeyReusedException if the key was used for another request
   * @throws IdempotencyKeyInUseException if the first request with the key is still running
   */
  public Outcome shorten(ShortenRequest request, Caller caller, IdempotencyKey key) {
    String requestHash = sha256(json.writeValueAsString(request));
    long deadline = System.nanoTime() + REPLAY_WAIT.toNanos();
    while (true) {
      Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
      if (keys.claim(caller.id(), key, requestHash, now)) {
        return new Outcome(create(request, caller, key), false);
      }
      Optional<IdempotencyRepository.Entry> found = keys.find(caller.id(), key);
      if (found.isPresent()) {
        IdempotencyRepository.Entry entry = found.get();
        if (!entry.requestHash().equals(requestHash)) {
          throw IdempotencyKeyReusedException.of(key);
        }
        if (entry.code() != null) {
          Link link =
              linkRepository
                  .find(entry.code())
                  .orElseThrow(() -> LinkNotFoundException.forCode(entry.code()));
          return new Outcome(link, true);
        }
        if (entry.createdAt().plus(ABANDONED_AFTER).isBefore(now)
            && keys.takeOver(caller.id(), key, entry, now)) {
          log.info("Took over the abandoned idempotency key claim of {}", caller.id());
          return new Outcome(create(request, caller, key), false);
        }
      }
      if (System.nanoTime() > deadline) {
        throw IdempotencyKeyInUseException.of(key);
      }
      pause();
    }
  }

  private Link create(ShortenRequest request, Caller caller, IdempotencyKey key) {
    Link link;
    try {
      link = links.shorten(request.toCommand(), caller);
    } catch (RuntimeException e) {
      keys.release(caller.id(), key);
      throw e;
    }
    keys.complete(caller.id(), key, link.code());
    return link;
  }

  /** Forgets keys past the retention, so the table stays small. */
  @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
  void pruneExpiredKeys() {
    Instant cutoff =
        clock.instant().minus(Duration.ofHours(properties.idempotencyKeyRetentionHours()));
    log.info("Pruned {} idempotency keys made before {}", keys.pruneBefore(cutoff), cutoff);
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an idempotent request", e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
