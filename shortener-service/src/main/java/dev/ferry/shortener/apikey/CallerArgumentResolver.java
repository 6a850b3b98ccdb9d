package dev.ferry.shortener.apikey;

import dev.ferry.shortener.web.ClientAddress;
import org.springframework.core.MethodParameter;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.SyncHandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * Supplies a {@link Caller} parameter of a controller method from the request's API key. Resolves
 * on the event loop: it only hashes the header and reads a map.
 */
final class CallerArgumentResolver implements SyncHandlerMethodArgumentResolver {

  private final ApiKeyAuthenticator authenticator;

  CallerArgumentResolver(ApiKeyAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Caller.class;
  }

  @Override
  public Caller resolveArgumentValue(
      MethodParameter parameter, BindingContext bindingContext, ServerWebExchange exchange) {
    ServerHttpRequest request = exchange.getRequest();
    return authenticator.authenticate(
        request.getHeaders().getFirst(ApiKeyAuthenticator.HEADER), ClientAddress.of(request));
  }
}
