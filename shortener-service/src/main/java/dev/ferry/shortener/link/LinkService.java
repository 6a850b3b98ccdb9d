package dev.ferry.shortener.link;

import dev.ferry.common.keygen.KeygenClient;
import dev.ferry.shortener.apikey.ApiKeyRequiredException;
import dev.ferry.shortener.apikey.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The link feature's facade: creates, reads, changes and deletes links, and answers the redirect
 * path's questions about them.
 *
 * <p>Generated codes come from keygen-service through {@link KeygenClient}. A generated code that
 * meets an existing custom alias is skipped, never overwritten: the insert is {@code ON CONFLICT DO
 * NOTHING} and a refused code is replaced by the next one. A custom alias that is taken (by an
 * alias or a generated code) is refused with {@link AliasTakenException}. Uniqueness holds globally
 * because a code always routes to the same shard.
 *
 * <p>Every change publishes a {@link LinkChangedEvent} after it is committed, which the cache turns
 * into invalidations on every instance.
 *
 * <p>Thread-safe: stateless apart from thread-safe collaborators.
 */
public class LinkService {

  static final int MAX_LISTING_DEPTH = 10_000;
  private static final int MAX_CODE_ATTEMPTS = 10;
  private static final Comparator<Link> NEWEST_FIRST =
      Comparator.comparing(Link::createdAt).reversed().thenComparing(Link::code);

  private final LinkRepository repository;
  private final LinkValidator validator;
  private final KeygenClient keygen;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final ExecutorService shardQueries;
  private final List<String> physicalDatabases;
  private final Timer shortenTimer;
  private final Counter codesSkipped;

  LinkService(
      LinkRepository repository,
      LinkValidator validator,
      KeygenClient keygen,
      ApplicationEventPublisher events,
      Clock clock,
      ExecutorService shardQueries,
      List<String> physicalDatabases,
      MeterRegistry registry) {
    this.repository = repository;
    this.validator = validator;
    this.keygen = keygen;
    this.events = events;
    this.clock = clock;
    this.shardQueries = shardQueries;
    this.physicalDatabases = List.copyOf(physicalDatabases);
    this.shortenTimer =
        Timer.builder("ferry.shortener.shorten")
            .description("Time to create one link, including the shard write")
            .publishPercentileHistogram()
            .register(registry);
    this.codesSkipped =
        Counter.builder("ferry.shortener.codes.skipped")
            .description("Generated codes skipped because a custom alias already had them")
            .register(registry);
  }

  /**
   * Creates a link owned by {@code caller} (unowned if anonymous).
   *
   * @throws InvalidLinkException if a field breaks a rule
   * @throws AliasTakenException if the custom alias exists
   * @throws dev.ferry.common.keygen.KeysUnavailableException if no code can be had
   */
  public Link shorten(ShortenCommand command, Caller caller) {
    validator.validate(command);
    return shortenTimer.record(() -> create(command, caller));
  }

  private Link create(ShortenCommand command, Caller caller) {
    Instant now = now();
    RedirectType type =
        command.redirectType() == null
            ? RedirectType.MOVED_PERMANENTLY
            : RedirectType.ofStatus(command.redirectType()).orElseThrow();
    Instant expiresAt =
        command.expiresAt() == null ? null : command.expiresAt().truncatedTo(ChronoUnit.MICROS);
    String owner = caller.authenticated() ? caller.id() : null;
    String longUrl = LinkValidator.toAscii(command.longUrl());
    List<String> tags = List.copyOf(command.tags());
    if (command.customAlias() != null) {
      Link link =
          new Link(
              command.customAlias(),
              longUrl,
              owner,
              true,
              type,
              tags,
              now,
              now,
              expiresAt,
              command.maxVisits(),
              0,
              0);
      if (!repository.insertIfAbsent(link)) {
        throw AliasTakenException.of(command.customAlias());
      }
      return changed(link);
    }
    for (int attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
      Link link =
          new Link(
              keygen.nextCode(),
              longUrl,
              owner,
              false,
              type,
              tags,
              now,
              now,
              expiresAt,
              command.maxVisits(),
              0,
              0);
      if (repository.insertIfAbsent(link)) {
        return changed(link);
      }
      codesSkipped.increment();
    }
    throw new IllegalStateException(
        MAX_CODE_ATTEMPTS
            + " generated codes in a row were taken; keygen-service is misconfigured");
  }

  /** The link with {@code code}, if {@code caller} owns it. */
  public Link details(String code, Caller caller) {
    requireKey(caller, "reading a link's details");
    Link link = repository.find(code).orElseThrow(() -> LinkNotFoundException.forCode(code));
    requireOwner(link, caller);
    return link;
  }

  /** Applies {@code change} to the link with {@code code}, if {@code caller} owns it. */
  public Link update(String code, UpdateLinkCommand change, Caller caller) {
    details(code, caller);
    validator.validate(change);
    UpdateLinkCommand normalised =
        new UpdateLinkCommand(
            change.longUrl() == null ? null : LinkValidator.toAscii(change.longUrl()),
            change.expiresAt() == null
                ? null
                : change.expiresAt().map(expiry -> expiry.truncatedTo(ChronoUnit.MICROS)),
            change.maxVisits(),
            change.tags() == null ? null : List.copyOf(change.tags()),
            change.redirectType());
    Link updated =
        repository
            .update(code, normalised, now())
            .orElseThrow(() -> LinkNotFoundException.forCode(code));
    return changed(updated);
  }

  /** Deletes the link with {@code code} and its analytics, if {@code caller} owns it. */
  public void delete(String code, Caller caller) {
    details(code, caller);
    if (!repository.delete(code)) {
      throw LinkNotFoundException.forCode(code);
    }
    events.publishEvent(new LinkChangedEvent(code));
  }

  /**
   * One page of {@code caller}'s links, newest first. Scatter-gather: every physical database is
   * asked, in parallel, for its newest {@code (page + 1) * size} matching links (over all its
   * shards in one query); the merged lists are sorted and the page cut from them. The depth is
   * capped so that no request makes a database sort an unbounded result.
   */
  public LinkPage list(Caller caller, String tag, int page, int size) {
    requireKey(caller, "listing links");
    long depth = (long) (page + 1) * size;
    if (depth > MAX_LISTING_DEPTH) {
      throw InvalidLinkException.of(
          "page", "(page + 1) * size must be at most " + MAX_LISTING_DEPTH);
    }
    List<CompletableFuture<List<Link>>> pages = new ArrayList<>();
    List<CompletableFuture<Long>> counts = new ArrayList<>();
    for (String physical : physicalDatabases) {
      pages.add(
          CompletableFuture.supplyAsync(
              () -> repository.newestOfOwner(physical, caller.id(), tag, (int) depth),
              shardQueries));
      counts.add(
          CompletableFuture.supplyAsync(
              () -> repository.countOfOwner(physical, caller.id(), tag), shardQueries));
    }
    List<Link> merged = new ArrayList<>();
    long total = 0;
    try {
      for (CompletableFuture<List<Link>> shardPage : pages) {
        merged.addAll(shardPage.join());
      }
      for (CompletableFuture<Long> count : counts) {
        total += count.join();
      }
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    merged.sort(NEWEST_FIRST);
    int from = Math.min(page * size, merged.size());
    int to = Math.min(from + size, merged.size());
    return new LinkPage(List.copyOf(merged.subList(from, to)), page, size, total);
  }

  /** What the redirect path needs of {@code code}; empty if no such link. */
  public Optional<LinkTarget> findTarget(String code) {
    return repository.find(code).map(Link::target);
  }

  /**
   * Counts a visit of a visit-limited link before it is served.
   *
   * @throws LinkGoneException if the link expired or its visits are used up
   * @throws LinkNotFoundException if the link no longer exists
   */
  public void registerVisit(String code) {
    if (!repository.registerVisit(code, now())) {
      requireServable(code);
      // requireServable found visits left, so a concurrent PATCH raised the limit after our
      // update missed; refusing this one visit errs on the side of the limit.
      throw LinkGoneException.visitsUsedUp(code);
    }
  }

  /**
   * Checks without counting that {@code code} may be served now, for HEAD requests.
   *
   * @throws LinkGoneException if the link expired or its visits are used up
   * @throws LinkNotFoundException if there is no such link
   */
  public void requireServable(String code) {
    Link link = repository.find(code).orElseThrow(() -> LinkNotFoundException.forCode(code));
    if (link.target().expiredAt(now())) {
      throw LinkGoneException.expired(code);
    }
    if (link.maxVisits() != null && link.visits() >= link.maxVisits()) {
      throw LinkGoneException.visitsUsedUp(code);
    }
  }

  private Link changed(Link link) {
    events.publishEvent(new LinkChangedEvent(link.code()));
    return link;
  }

  private static void requireKey(Caller caller, String operation) {
    if (!caller.authenticated()) {
      throw ApiKeyRequiredException.forOperation(operation);
    }
  }

  private static void requireOwner(Link link, Caller caller) {
    if (!Objects.equals(link.owner(), caller.id())) {
      throw NotLinkOwnerException.forCode(link.code());
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
