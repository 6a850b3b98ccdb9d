package dev.ferry.shortener.redirect;

import dev.ferry.shortener.analytics.ClickRecorder;
import dev.ferry.shortener.cache.LinkCache;
import dev.ferry.shortener.link.LinkTarget;
import dev.ferry.shortener.web.ClientAddress;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The hottest path: a {@code GET /{code}} whose link is in L1, has no visit limit and has not
 * expired is answered here, on the Netty event loop, by a Reactor Netty route placed ahead of
 * WebFlux. Every other request, and a redirect this route cannot answer from L1, goes to WebFlux's
 * {@code HttpHandler} exactly as it would without the route: {@link RedirectFilter} then looks it
 * up in L2 and Postgres, and the controllers answer the rest.
 *
 * <p>Why below WebFlux: an L1 hit needs a path check, one Caffeine read and a response of three
 * headers, while WebFlux builds an exchange, its request and response adapters, an observation and
 * a filter chain around it; on the benchmark's two cores that frame cost as much CPU as the
 * redirect itself. The answer is the same as {@link RedirectAnswers#serve}'s: status, {@code
 * Location}, {@code Cache-Control} (see {@link RedirectAnswers#cacheControl}), the redirect counted
 * and the click recorded.
 *
 * <p>Thread-safe: stateless apart from thread-safe collaborators; the WebFlux adapter is created
 * once, on first use, from the application's {@code HttpHandler}.
 */
final class RedirectRoute implements NettyRouteProvider {

  private final LinkCache cache;
  private final RedirectAnswers answers;
  private final ClickRecorder clicks;
  private final Clock clock;
  private final Supplier<ReactorHttpHandlerAdapter> webFlux;

  RedirectRoute(
      LinkCache cache,
      RedirectAnswers answers,
      ClickRecorder clicks,
      Clock clock,
      Supplier<ReactorHttpHandlerAdapter> webFlux) {
    this.cache = cache;
    this.answers = answers;
    this.clicks = clicks;
    this.clock = clock;
    this.webFlux = webFlux;
  }

  @Override
  public HttpServerRoutes apply(HttpServerRoutes routes) {
    return routes.route(RedirectRoute::isRedirect, this::handle);
  }

  /** A GET of a path that can be a code; decided from the request line alone. */
  private static boolean isRedirect(HttpServerRequest request) {
    return request.method() == HttpMethod.GET && RedirectPaths.code(path(request.uri())) != null;
  }

  private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    String code = RedirectPaths.code(path(request.uri()));
    LinkTarget target = code == null ? null : cache.cachedTarget(code);
    if (target == null || target.visitLimited() || target.expiredAt(clock.instant())) {
      return webFlux.get().apply(request, response);
    }
    HttpHeaders headers = request.requestHeaders();
    clicks.record(code, ClientAddress.of(request.remoteAddress()), headers::get);
    answers.count(target);
    return response
        .status(HttpResponseStatus.valueOf(target.status()))
        .header(HttpHeaderNames.LOCATION, target.longUrl())
        .header(HttpHeaderNames.CACHE_CONTROL, answers.cacheControl(target))
        .send();
  }

  /** The path of a request target, without its query or fragment. */
  static String path(String uri) {
    int end = uri.length();
    for (int i = 0; i < end; i++) {
      char c = uri.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
      }
    }
    return uri.substring(0, end);
  }
}
