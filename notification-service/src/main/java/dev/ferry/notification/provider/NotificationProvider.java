package dev.ferry.notification.provider;

/**
 * Sends one message through one external service. Implementations translate every failure into a
 * {@link ProviderResult.Failed} with the right {@link FailureKind} instead of throwing, so the
 * router can fail over and the worker can decide about retries. Implementations are thread-safe.
 */
interface NotificationProvider {

  /** The configured instance name, recorded with every attempt. */
  String name();

  ProviderResult send(OutboundMessage message);
}
