package dev.ferry.notification.provider;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each message to the log and reports it sent: the default provider of every channel, so the
 * local stack runs without provider credentials. Thread-safe.
 */
final class LoggingProvider implements NotificationProvider {

  private static final Logger log = LoggerFactory.getLogger(LoggingProvider.class);

  private final String name;

  LoggingProvider(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProviderResult send(OutboundMessage message) {
    String id = "log-" + UUID.randomUUID();
    log.info(
        "{} {} to {} (delivery {}): {}",
        message.channel().wire(),
        id,
        message.recipient(),
        message.deliveryId(),
        message.title() != null ? message.title() : message.subject());
    return new ProviderResult.Sent(name, id);
  }
}
