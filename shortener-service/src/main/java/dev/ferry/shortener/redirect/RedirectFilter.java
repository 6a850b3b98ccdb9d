package dev.ferry.shortener.redirect;

import dev.ferry.shortener.cache.LinkCache;
import dev.ferry.shortener.link.LinkTarget;
import java.time.Clock;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * The hot path: a {@code GET /{code}} of a link without a visit limit and not expired is answered
 * here, before WebFlux's handler mapping, argument resolution and result handling run. An L1 hit is
 * answered synchronously on the Netty event loop; an L1 miss is looked up through {@link
 * LinkCache#find} (L2, then Postgres) without blocking and answered when the lookup completes.
 * Everything else (HEAD, an unknown, expired or visit-limited link, any other path) goes down the
 * chain to {@link RedirectController} and the other controllers, which answer exactly as before; a
 * lookup made here is handed on in an exchange attribute, so it is neither repeated nor counted
 * twice.
 *
 * <p>Per L1 hit this does a path check, one Caffeine read, a clock read, a pre-registered counter
 * increment and a non-blocking offer to the click queue; it does not block and allocates little
 * beyond the click event.
 *
 * <p>Thread-safe: stateless apart from thread-safe collaborators.
 */
final class RedirectFilter implements WebFilter {

  /** The {@code Optional<LinkTarget>} this filter looked up, for {@link #lookedUp}. */
  private static final String LOOKED_UP = RedirectFilter.class.getName() + ".lookedUp";

  /** This filter's lookup: what was found, or null when the lookup failed. */
  private record Lookup(Optional<LinkTarget> found) {}

  private static final Lookup FAILED = new Lookup(null);

  private final LinkCache cache;
  private final RedirectAnswers answers;
  private final Clock clock;

  RedirectFilter(LinkCache cache, RedirectAnswers answers, Clock clock) {
    this.cache = cache;
    this.answers = answers;
    this.clock = clock;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    if (request.getMethod() != HttpMethod.GET) {
      return chain.filter(exchange);
    }
    String code = RedirectPaths.code(request.getPath().value());
    if (code == null) {
      return chain.filter(exchange);
    }
    LinkTarget cached = cache.cachedTarget(code);
    if (cached != null) {
      return servedHere(cached) ? answers.serve(exchange, code, cached) : chain.filter(exchange);
    }
    return cache
        .find(code)
        // Back to the request's event loop: an L2 reply arrives on Lettuce's single I/O thread,
        // which would otherwise also write every answer; a Postgres reply on a blocking thread.
        .publishOn(eventLoopOf(request))
        .map(target -> new Lookup(Optional.of(target)))
        .defaultIfEmpty(new Lookup(Optional.empty()))
        // A failed lookup (a shard's database down) is left to the controller, which looks up
        // again and answers with the problem the service's exception handler maps it to.
        .onErrorResume(e -> Mono.just(FAILED))
        .flatMap(
            lookup -> {
              if (lookup == FAILED) {
                return chain.filter(exchange);
              }
              Optional<LinkTarget> found = lookup.found();
              if (found.isPresent() && servedHere(found.get())) {
                return answers.serve(exchange, code, found.get());
              }
              exchange.getAttributes().put(LOOKED_UP, found);
              return chain.filter(exchange);
            });
  }

  /**
   * What this filter already found for the request's code, empty if there is no such link; null
   * when the filter made no lookup for this request.
   */
  @SuppressWarnings("unchecked")
  static Mono<LinkTarget> lookedUp(ServerWebExchange exchange) {
    Optional<LinkTarget> found = (Optional<LinkTarget>) exchange.getAttributes().get(LOOKED_UP);
    return found == null ? null : Mono.justOrEmpty(found);
  }

  /** The Netty event loop that serves {@code request}'s connection; the caller's thread if none. */
  private static Scheduler eventLoopOf(ServerHttpRequest request) {
    return ServerHttpRequestDecorator.getNativeRequest(request) instanceof Connection connection
        ? Schedulers.fromExecutor(connection.channel().eventLoop())
        : Schedulers.immediate();
  }

  private boolean servedHere(LinkTarget target) {
    return !target.visitLimited() && !target.expiredAt(clock.instant());
  }
}
