package dev.ferry.shortener.cache;

import dev.ferry.shortener.link.LinkService;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.NettyCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;
import reactor.core.scheduler.Scheduler;

@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

  /**
   * By default Lettuce queues commands while it reconnects, so a Redis outage would make every
   * redirect wait for the command timeout. Rejecting them at once turns an outage into fast L2
   * misses.
   */
  @Bean
  LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
    return options ->
        options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
  }

  /**
   * Lettuce writes and flushes each command on its own: a redirect that reaches L2, on any event
   * loop, hands its {@code GET} to Lettuce's I/O thread, which then made a {@code send} system call
   * per command, the largest part of that thread's CPU. Consolidating flushes makes one {@code
   * send} of all the commands the thread has queued, as pipelining would; a command still goes out
   * in the same turn of the event loop it was written in.
   */
  @Bean
  ClientResourcesBuilderCustomizer consolidateRedisFlushes() {
    return resources ->
        resources.nettyCustomizer(
            new NettyCustomizer() {
              @Override
              public void afterChannelInitialized(Channel channel) {
                channel
                    .pipeline()
                    .addFirst(
                        new FlushConsolidationHandler(
                            FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
              }
            });
  }

  @Bean
  LinkCache linkCache(
      LinkService links,
      ReactiveStringRedisTemplate redis,
      CacheProperties properties,
      Scheduler blockingScheduler,
      MeterRegistry registry) {
    return new LinkCache(
        links,
        new RedisLinkStore(redis, properties, registry),
        properties,
        blockingScheduler,
        registry);
  }

  @Bean
  CacheInvalidation cacheInvalidation(LinkCache linkCache) {
    return new CacheInvalidation(linkCache);
  }

  /**
   * Receives invalidations; re-subscribes every two seconds after losing Redis. Started by {@link
   * InvalidationSubscription}, not by the context, so that Redis being down cannot fail start-up.
   */
  @Bean
  RedisMessageListenerContainer invalidationListenerContainer(
      RedisConnectionFactory connectionFactory,
      CacheInvalidation cacheInvalidation,
      CacheProperties properties) {
    RedisMessageListenerContainer container = new RedisMessageListenerContainer();
    container.setConnectionFactory(connectionFactory);
    container.setRecoveryBackoff(new FixedBackOff(2_000, FixedBackOff.UNLIMITED_ATTEMPTS));
    // An invalidation is one Caffeine eviction: dispatch it on Lettuce's thread. The default
    // executor starts a thread per message, which under a burst of changes (a batch of 1000
    // links publishes 1000 messages) cost more CPU than the redirects and evicted L1 entries
    // long after the changes, while the backlog drained.
    container.setTaskExecutor(new SyncTaskExecutor());
    container.addMessageListener(
        cacheInvalidation, new ChannelTopic(properties.invalidationChannel()));
    container.setAutoStartup(false);
    return container;
  }

  @Bean
  InvalidationSubscription invalidationSubscription(
      RedisMessageListenerContainer invalidationListenerContainer, LinkCache linkCache) {
    return new InvalidationSubscription(invalidationListenerContainer, linkCache);
  }
}
