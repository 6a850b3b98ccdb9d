package dev.ferry.shortener.redirect;

import dev.ferry.shortener.analytics.ClickRecorder;
import dev.ferry.shortener.cache.LinkCache;
import dev.ferry.shortener.link.LinkGoneException;
import dev.ferry.shortener.link.LinkNotFoundException;
import dev.ferry.shortener.link.LinkService;
import dev.ferry.shortener.link.LinkTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /{code}} and {@code HEAD /{code}}: the hot path. A lookup normally ends in L1; only
 * links with a visit limit touch Postgres on every visit, because their count must be exact. The
 * click is handed to analytics without waiting. HEAD answers like GET but counts neither a visit
 * nor a click, since link checkers and previews send it.
 */
@RestController
class RedirectController {

  private final LinkCache cache;
  private final LinkService links;
  private final ClickRecorder clicks;
  private final RedirectProperties properties;
  private final Clock clock;
  private final Map<Integer, Counter> redirects;

  RedirectController(
      LinkCache cache,
      LinkService links,
      ClickRecorder clicks,
      RedirectProperties properties,
      Clock clock,
      MeterRegistry registry) {
    this.cache = cache;
    this.links = links;
    this.clicks = clicks;
    this.properties = properties;
    this.clock = clock;
    this.redirects =
        Map.of(
            301, redirects(registry, 301),
            302, redirects(registry, 302),
            307, redirects(registry, 307),
            308, redirects(registry, 308),
            404, redirects(registry, 404),
            410, redirects(registry, 410));
  }

  @GetMapping("/{code:[A-Za-z0-9_-]{1,32}}")
  ResponseEntity<Void> redirect(@PathVariable String code, HttpServletRequest request) {
    boolean head = "HEAD".equals(request.getMethod());
    LinkTarget target;
    try {
      target = cache.find(code).orElseThrow(() -> LinkNotFoundException.forCode(code));
      if (target.expiredAt(clock.instant())) {
        throw LinkGoneException.expired(code);
      }
      if (target.visitLimited()) {
        if (head) {
          links.requireServable(code);
        } else {
          links.registerVisit(code);
        }
      }
    } catch (LinkNotFoundException e) {
      redirects.get(404).increment();
      throw e;
    } catch (LinkGoneException e) {
      redirects.get(410).increment();
      throw e;
    }
    if (!head) {
      clicks.record(code, request);
    }
    redirects.get(target.status()).increment();
    boolean limited = target.visitLimited() || target.expiresAt() != null;
    return ResponseEntity.status(target.status())
        .header(HttpHeaders.LOCATION, target.longUrl())
        .header(HttpHeaders.CACHE_CONTROL, limited ? "no-store" : properties.cacheControl())
        .build();
  }

  private static Counter redirects(MeterRegistry registry, int status) {
    return Counter.builder("ferry.shortener.redirects")
        .description("Redirect requests by the status answered")
        .tag("status", Integer.toString(status))
        .register(registry);
  }
}
