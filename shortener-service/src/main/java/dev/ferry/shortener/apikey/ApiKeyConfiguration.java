package dev.ferry.shortener.apikey;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class ApiKeyConfiguration implements WebMvcConfigurer {

  private final ApiKeyAuthenticator authenticator;

  ApiKeyConfiguration(ApiKeyProperties properties) {
    this.authenticator = new ApiKeyAuthenticator(properties);
  }

  @Bean
  ApiKeyAuthenticator apiKeyAuthenticator() {
    return authenticator;
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerArgumentResolver(authenticator));
  }
}
