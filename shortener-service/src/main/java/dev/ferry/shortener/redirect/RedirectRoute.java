package dev.ferry.shortener.redirect;

import dev.ferry.shortener.cache.LinkCache;
import dev.ferry.shortener.link.LinkTarget;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The hot path: a {@code GET /{code}} of a link without a visit limit and not expired is answered
 * here, by a Reactor Netty route placed ahead of WebFlux. An L1 hit is answered synchronously on
 * the Netty event loop; an L1 miss is looked up through {@link LinkCache#find} (L2, then Postgres)
 * without blocking and answered when the lookup completes. Everything else (HEAD, an unknown,
 * expired or visit-limited link, a lookup that failed, any other path) goes to WebFlux's {@code
 * HttpHandler} exactly as it would without the route, where {@link RedirectController} and the
 * other controllers answer it; such a code is looked up again there, from L1 unless L1 is off.
 *
 * <p>Why below WebFlux: a redirect needs a path check, a cache read and a response of three
 * headers, while WebFlux builds an exchange, its request and response adapters, an observation and
 * a filter chain around it. On the benchmark's two cores, answering L1 hits here instead of in a
 * {@code WebFilter} took L1 redirects from 11,842 to 16,977-24,912 req/s. The answer is {@link
 * RedirectAnswers}'s: status, {@code Location}, {@code Cache-Control}, the redirect counted and the
 * click recorded.
 *
 * <p>Thread-safe: stateless apart from thread-safe collaborators; the WebFlux adapter is created
 * once, on first use, from the application's {@code HttpHandler}.
 */
final class RedirectRoute implements NettyRouteProvider {

  private final LinkCache cache;
  private final RedirectAnswers answers;
  private final Clock clock;
  private final Supplier<ReactorHttpHandlerAdapter> webFlux;

  RedirectRoute(
      LinkCache cache,
      RedirectAnswers answers,
      Clock clock,
      Supplier<ReactorHttpHandlerAdapter> webFlux) {
    this.cache = cache;
    this.answers = answers;
    this.clock = clock;
    this.webFlux = webFlux;
  }

  @Override
  public HttpServerRoutes apply(HttpServerRoutes routes) {
    return routes.route(request -> request.method() == HttpMethod.GET, this::handle);
  }

  private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    String code = RedirectPaths.code(path(request.uri()));
    if (code == null) {
      return webFlux.get().apply(request, response);
    }
    LinkTarget cached = cache.cachedTarget(code);
    if (cached != null) {
      return servedHere(cached)
          ? answers.serve(request, response, code, cached)
          : webFlux.get().apply(request, response);
    }
    return cache
        .find(code)
        // Back to the request's event loop: an L2 reply arrives on Lettuce's single I/O thread,
        // which would otherwise also write every answer; a Postgres reply on a blocking thread.
        .publishOn(eventLoopOf(request))
        .filter(this::servedHere)
        .map(Optional::of)
        // A failed lookup (a shard's database down) is left to the controller, which looks up
        // again and answers with the problem the service's exception handler maps it to.
        .onErrorResume(e -> Mono.empty())
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            found ->
                found.isPresent()
                    ? answers.serve(request, response, code, found.get())
                    : Mono.from(webFlux.get().apply(request, response)));
  }

  private boolean servedHere(LinkTarget target) {
    return !target.visitLimited() && !target.expiredAt(clock.instant());
  }

  /** The Netty event loop that serves {@code request}'s connection; the caller's thread if none. */
  private static Scheduler eventLoopOf(HttpServerRequest request) {
    return request instanceof Connection connection
        ? Schedulers.fromExecutor(connection.channel().eventLoop())
        : Schedulers.immediate();
  }

  /** The path of a request target, without its query or fragment. */
  static String path(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '?' || c == '#') {
        return uri.substring(0, i);
      }
    }
    return uri;
  }
}
