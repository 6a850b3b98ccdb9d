package dev.ferry.shortener.redirect;

import dev.ferry.shortener.link.LinkTarget;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * What a served redirect looks like, shared by {@link RedirectFilter} and {@link
 * RedirectController}: the link's status, {@code Location}, and a {@code Cache-Control} that lets
 * browsers reuse plain redirects for a while but never those of links with an expiry or a visit
 * limit, which a cached redirect would outlive or skip. Also counts the answer.
 *
 * <p>Thread-safe: immutable apart from the thread-safe counters.
 */
final class RedirectAnswers {

  private final String cacheControl;
  private final RedirectCounters counters;

  RedirectAnswers(RedirectProperties properties, RedirectCounters counters) {
    this.cacheControl = properties.cacheControl();
    this.counters = counters;
  }

  /** Sets status and headers of the redirect to {@code target} on {@code response}. */
  void write(ServerHttpResponse response, LinkTarget target) {
    response.setStatusCode(status(target.status()));
    HttpHeaders headers = response.getHeaders();
    headers.set(HttpHeaders.LOCATION, target.longUrl());
    headers.set(HttpHeaders.CACHE_CONTROL, cacheControl(target));
    counters.count(target.status());
  }

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
