package dev.ferry.shortener.apikey;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

@Configuration(proxyBeanMethods = false)
class ApiKeyConfiguration implements WebFluxConfigurer {

  private final ApiKeyAuthenticator authenticator;

  ApiKeyConfiguration(ApiKeyProperties properties) {
    this.authenticator = new ApiKeyAuthenticator(properties);
  }

  @Bean
  ApiKeyAuthenticator apiKeyAuthenticator() {
    return authenticator;
  }

  @Override
  public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
    configurer.addCustomResolver(new CallerArgumentResolver(authenticator));
  }
}
