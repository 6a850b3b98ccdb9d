package dev.ferry.shortener.redirect;

import dev.ferry.shortener.cache.LinkCache;
import dev.ferry.shortener.link.LinkGoneException;
import dev.ferry.shortener.link.LinkNotFoundException;
import dev.ferry.shortener.link.LinkService;
import dev.ferry.shortener.link.LinkTarget;
import java.time.Clock;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code GET /{code}} and {@code HEAD /{code}} whenever {@link RedirectRoute} did not answer
 * already: HEAD, unknown, expired and visit-limited links, and lookups that failed in the route. A
 * lookup normally ends in L1; only links with a visit limit touch Postgres on every visit, because
 * their count must be exact. The answer itself comes from {@link RedirectAnswers}, as in the route.
 * HEAD answers like GET but counts neither a visit nor a click, since link checkers and previews
 * send it.
 *
 * <p>Threads: the method returns a Mono, so WebFlux runs it on the Netty event loop, not on the
 * blocking executor of the other controllers. An L1 hit of a link without a visit limit is answered
 * there and then; only the visit count of a limited link goes to the {@code blocking} scheduler.
 */
@RestController
class RedirectController {

  private final LinkCache cache;
  private final LinkService links;
  private final RedirectAnswers answers;
  private final RedirectCounters counters;
  private final Clock clock;
  private final Scheduler blocking;

  RedirectController(
      LinkCache cache,
      LinkService links,
      RedirectAnswers answers,
      RedirectCounters counters,
      Clock clock,
      Scheduler blockingScheduler) {
    this.cache = cache;
    this.links = links;
    this.answers = answers;
    this.counters = counters;
    this.clock = clock;
    this.blocking = blockingScheduler;
  }

  @GetMapping("/{code:[A-Za-z0-9_-]{1,32}}")
  Mono<Void> redirect(@PathVariable String code, ServerWebExchange exchange) {
    boolean head = exchange.getRequest().getMethod() == HttpMethod.HEAD;
    return cache
        .find(code)
        .switchIfEmpty(Mono.error(() -> LinkNotFoundException.forCode(code)))
        .flatMap(target -> servable(code, target, head))
        .flatMap(target -> answers.serve(exchange, code, target))
        .doOnError(LinkNotFoundException.class, e -> counters.count(404))
        .doOnError(LinkGoneException.class, e -> counters.count(410));
  }

  /** {@code target} once it may be served now; a visit of a limited link is counted first. */
  private Mono<LinkTarget> servable(String code, LinkTarget target, boolean head) {
    if (target.expiredAt(clock.instant())) {
      return Mono.error(LinkGoneException.expired(code));
    }
    if (!target.visitLimited()) {
      return Mono.just(target);
    }
    return Mono.fromRunnable(
            () -> {
              if (head) {
                links.requireServable(code);
              } else {
                links.registerVisit(code);
              }
            })
        .subscribeOn(blocking)
        .thenReturn(target);
  }
}
