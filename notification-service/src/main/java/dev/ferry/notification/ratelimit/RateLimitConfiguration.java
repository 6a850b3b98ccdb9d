package dev.ferry.notification.ratelimit;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration implements WebMvcConfigurer {

  private final RateLimiter limiter;

  RateLimitConfiguration(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry
        .addInterceptor(new ApiKeyRateLimitInterceptor(limiter))
        .addPathPatterns("/api/v1/notifications/**", "/api/v1/topics/*/notifications");
  }
}
