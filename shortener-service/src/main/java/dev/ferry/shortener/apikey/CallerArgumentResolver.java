package dev.ferry.shortener.apikey;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Supplies a {@link Caller} parameter of a controller method from the request's API key. */
final class CallerArgumentResolver implements HandlerMethodArgumentResolver {

  private final ApiKeyAuthenticator authenticator;

  CallerArgumentResolver(ApiKeyAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Caller.class;
  }

  @Override
  public Caller resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest,
      WebDataBinderFactory binderFactory) {
    HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
    return authenticator.authenticate(
        request.getHeader(ApiKeyAuthenticator.HEADER), request.getRemoteAddr());
  }
}
