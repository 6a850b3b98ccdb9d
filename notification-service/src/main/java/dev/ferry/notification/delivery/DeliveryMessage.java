package dev.ferry.notification.delivery;

import java.util.UUID;

/**
 * The Kafka message that asks a worker to make attempt {@code attempt} of a delivery. Everything
 * else (content, recipient) is read from Postgres when the attempt starts, so a message stays small
 * and a re-drive or retry never carries stale content.
 */
record DeliveryMessage(UUID deliveryId, int attempt) {}
