package dev.ferry.shortener.redirect;

import dev.ferry.shortener.analytics.ClickRecorder;
import dev.ferry.shortener.cache.LinkCache;
import dev.ferry.shortener.link.LinkTarget;
import java.time.Clock;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The hot path: a {@code GET /{code}} whose link L1 holds, without a visit limit and not expired,
 * is answered here, synchronously on the Netty event loop, before WebFlux's handler mapping,
 * argument resolution and result handling run. Everything else (HEAD, an L1 miss, an unknown,
 * expired or visit-limited link, any other path) goes down the chain to {@link RedirectController}
 * and the other controllers, which answer exactly as before.
 *
 * <p>Per request this does a path check, one Caffeine read, a clock read, a pre-registered counter
 * increment and a non-blocking offer to the click queue; it does not block and allocates little
 * beyond the click event.
 *
 * <p>Thread-safe: stateless apart from thread-safe collaborators.
 */
final class RedirectFilter implements WebFilter {

  private final LinkCache cache;
  private final RedirectAnswers answers;
  private final ClickRecorder clicks;
  private final Clock clock;

  RedirectFilter(LinkCache cache, RedirectAnswers answers, ClickRecorder clicks, Clock clock) {
    this.cache = cache;
    this.answers = answers;
    this.clicks = clicks;
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
    LinkTarget target = cache.cachedTarget(code);
    if (target == null || target.visitLimited() || target.expiredAt(clock.instant())) {
      return chain.filter(exchange);
    }
    clicks.record(code, request);
    answers.write(exchange.getResponse(), target);
    return exchange.getResponse().setComplete();
  }
}
