package dev.ferry.shortener.web;

import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a request whose {@code Content-Length} is over the limit with 413 at once, before any of
 * the body is read. A body without a length (chunked) that runs over is stopped by the codecs'
 * in-memory limit, set to the same size in {@link WebConfiguration}, which the problem handler
 * answers with the same 413. Either way memory use per request stays bounded.
 *
 * <p>Thread-safe: stateless.
 */
final class BodySizeLimitFilter implements WebFilter {

  private final long maxBodyBytes;
  private final byte[] problem;

  BodySizeLimitFilter(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    this.problem =
        ("{\"type\":\"https://ferry.dev/problems/body-too-large\",\"title\":\"Request body"
                + " too large\",\"status\":413,\"detail\":\"the request body is larger than "
                + maxBodyBytes
                + " bytes\"}")
            .getBytes(StandardCharsets.UTF_8);
  }

  /** Redirects and other bodiless requests pass with one comparison: the hot path pays nothing. */
  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    HttpMethod method = exchange.getRequest().getMethod();
    if (method == HttpMethod.GET
        || method == HttpMethod.HEAD
        || exchange.getRequest().getHeaders().getContentLength() <= maxBodyBytes) {
      return chain.filter(exchange);
    }
    ServerHttpResponse response = exchange.getResponse();
    response.setStatusCode(HttpStatus.PAYLOAD_TOO_LARGE);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    // The unread body would otherwise have to be drained before the connection could be reused.
    response.getHeaders().set(HttpHeaders.CONNECTION, "close");
    DataBuffer body = response.bufferFactory().wrap(problem);
    return response.writeWith(Mono.just(body));
  }
}
