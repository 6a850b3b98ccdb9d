package dev.ferry.shortener.redirect;

import dev.ferry.shortener.analytics.ClickRecorder;
import dev.ferry.shortener.link.LinkTarget;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Serves a redirect, the one way {@link RedirectRoute} and {@link RedirectController} both answer:
 * the link's status, {@code Location}, and a {@code Cache-Control} that lets browsers reuse plain
 * redirects for a while but never those of links with an expiry or a visit limit, which a cached
 * redirect would outlive or skip. Counts the answer and hands the click to analytics, except for
 * HEAD, which link checkers and previews send.
 *
 * <p>Thread-safe: immutable apart from the thread-safe counters and click recorder.
 */
final class RedirectAnswers {

  private final String cacheControl;
  private final RedirectCounters counters;
  private final ClickRecorder clicks;

  RedirectAnswers(RedirectProperties properties, RedirectCounters counters, ClickRecorder clicks) {
    this.cacheControl = properties.cacheControl();
    this.counters = counters;
    this.clicks = clicks;
  }

  /** Answers the exchange, a visit of {@code code}, with the redirect to {@code target}. */
  Mono<Void> serve(ServerWebExchange exchange, String code, LinkTarget target) {
    ServerHttpRequest request = exchange.getRequest();
    if (request.getMethod() != HttpMethod.HEAD) {
      clicks.record(code, request);
    }
    ServerHttpResponse response = exchange.getResponse();
    response.setStatusCode(status(target.status()));
    HttpHeaders headers = response.getHeaders();
    headers.set(HttpHeaders.LOCATION, target.longUrl());
    headers.set(HttpHeaders.CACHE_CONTROL, cacheControl(target));
    count(target);
    return response.setComplete();
  }

  /** Counts a redirect to {@code target} by its status. */
  void count(LinkTarget target) {
    counters.count(target.status());
  }

  /** The {@code Cache-Control} of a redirect to {@code target}. */
  String cacheControl(LinkTarget target) {
    return target.visitLimited() || target.expiresAt() != null ? "no-store" : cacheControl;
  }

  private static HttpStatus status(int code) {
    return switch (code) {
      case 301 -> HttpStatus.MOVED_PERMANENTLY;
      case 302 -> HttpStatus.FOUND;
      case 307 -> HttpStatus.TEMPORARY_REDIRECT;
      case 308 -> HttpStatus.PERMANENT_REDIRECT;
      default -> throw new IllegalArgumentException("not a redirect status: " + code);
    };
  }
}
