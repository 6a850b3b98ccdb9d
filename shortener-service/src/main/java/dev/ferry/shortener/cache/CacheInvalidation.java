package dev.ferry.shortener.cache;

import dev.ferry.shortener.link.LinkChangedEvent;
import java.nio.charset.StandardCharsets;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;

/**
 * Keeps the caches in step with the shards: a committed change evicts the code from L1 here, from
 * L2, and, through a Redis pub/sub message, from L1 on every other instance; a message from any
 * instance evicts the code from this instance's L1.
 *
 * <p>Each confirmation of the subscription (the first one, and each after Lettuce or the listener
 * container reconnected to Redis) empties this instance's L1: messages published while it was not
 * subscribed are gone, so any entry may be stale.
 *
 * <p>Thread-safe: stateless apart from the thread-safe cache. The listener methods run on Redis
 * client threads and therefore only touch L1, never Redis.
 */
final class CacheInvalidation implements MessageListener, SubscriptionListener {

  private final LinkCache cache;

  CacheInvalidation(LinkCache cache) {
    this.cache = cache;
  }

  @EventListener
  void onLinkChanged(LinkChangedEvent event) {
    cache.invalidate(event.code());
  }

  @Override
  public void onMessage(Message message, byte[] pattern) {
    cache.evictLocal(new String(message.getBody(), StandardCharsets.UTF_8));
  }

  @Override
  public void onChannelSubscribed(byte[] channel, long count) {
    cache.evictAllLocal();
  }
}
