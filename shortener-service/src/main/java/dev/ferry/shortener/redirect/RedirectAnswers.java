package dev.ferry.shortener.redirect;

import dev.ferry.shortener.analytics.ClickRecorder;
import dev.ferry.shortener.link.LinkTarget;
import dev.ferry.shortener.web.ClientAddress;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

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

  /**
   * Answers a {@code GET} that {@link RedirectRoute} took below WebFlux (it takes no other method),
   * a visit of {@code code}, with the redirect to {@code target}: the same answer as {@link
   * #serve(ServerWebExchange, String, LinkTarget)}, written on Reactor Netty's own request and
   * response.
   */
  Mono<Void> serve(
      HttpServerRequest request, HttpServerResponse response, String code, LinkTarget target) {
    clicks.record(code, ClientAddress.of(request.remoteAddress()), request.requestHeaders()::get);
    count(target);
    return response
        .status(HttpResponseStatus.valueOf(target.status()))
        .header(HttpHeaderNames.LOCATION, target.longUrl())
        .header(HttpHeaderNames.CACHE_CONTROL, cacheControl(target))
        .send();
  }

  private void count(LinkTarget target) {
    counters.count(target.status());
  }

  private String cacheControl(LinkTarget target) {
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
