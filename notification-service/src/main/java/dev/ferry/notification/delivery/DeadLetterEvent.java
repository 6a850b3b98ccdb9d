package dev.ferry.notification.delivery;

import java.util.UUID;

/** What the dead-letter topic carries for a delivery that failed for good. */
record DeadLetterEvent(
    UUID deliveryId,
    UUID notificationId,
    String channel,
    String priority,
    int attempts,
    String reason) {}
