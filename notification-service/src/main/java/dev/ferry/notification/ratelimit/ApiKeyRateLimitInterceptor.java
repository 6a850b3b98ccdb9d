package dev.ferry.notification.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Counts send requests per {@code X-Api-Key}; requests without a key are not limited here (the
 * gateway in front authenticates them). Over the limit, the request fails with 429 before any work
 * is done.
 */
final class ApiKeyRateLimitInterceptor implements HandlerInterceptor {

  static final String HEADER = "X-Api-Key";

  private final RateLimiter limiter;

  ApiKeyRateLimitInterceptor(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    String key = request.getHeader(HEADER);
    if (key != null && !key.isBlank() && !limiter.tryApiKey(key)) {
      throw RateLimitExceededException.forApiKey(limiter.secondsToWindowEnd());
    }
    return true;
  }
}
