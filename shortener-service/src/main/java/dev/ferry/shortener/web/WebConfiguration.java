package dev.ferry.shortener.web;

import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.web.reactive.config.BlockingExecutionConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.server.WebFilter;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The service runs on WebFlux so that redirects are answered on Netty's event loops, but most of
 * its work is blocking (JDBC, the keygen client, Bucket4j over Redis). This configuration keeps the
 * two apart: controller methods that do not return a reactive type run on the bounded {@code
 * blocking} scheduler, and reactive code that must call blocking code (a redirect's cache miss)
 * moves there with {@code subscribeOn}. An event loop thread never blocks.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebFluxConfigurer {

  private final WebProperties properties;
  private final Scheduler blocking;

  WebConfiguration(WebProperties properties) {
    this.properties = properties;
    this.blocking =
        Schedulers.newBoundedElastic(
            properties.blockingThreads(), properties.blockingQueueCapacity(), "shortener-blocking");
  }

  /**
   * Where blocking work runs: at most {@code blocking-threads} threads, made on demand and retired
   * when idle, with at most {@code blocking-queue-capacity} tasks waiting; a task beyond that is
   * refused and answered 503 rather than queued without bound.
   */
  @Bean(destroyMethod = "dispose")
  Scheduler blockingScheduler() {
    return blocking;
  }

  @Override
  public void configureBlockingExecution(BlockingExecutionConfigurer configurer) {
    configurer.setExecutor(new TaskExecutorAdapter(blocking::schedule));
  }

  /** Right after the redirect filter, which answers only bodiless GETs. */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 1)
  WebFilter bodySizeLimitFilter() {
    return new BodySizeLimitFilter(properties.maxBodyBytes());
  }

  /** Bounds every buffered body (a chunked one too) to the same limit as the filter. */
  @Bean
  CodecCustomizer bodySizeLimitCodecs() {
    return configurer -> configurer.defaultCodecs().maxInMemorySize(maxInMemorySize());
  }

  private int maxInMemorySize() {
    return (int) Math.min(Integer.MAX_VALUE, properties.maxBodyBytes());
  }
}
