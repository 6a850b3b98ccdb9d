package dev.ferry.notification.device;

import java.time.Instant;
import java.util.UUID;

/** A registered device as clients see it; inactive once its token was reported dead. */
record DeviceResponse(
    UUID id,
    String userId,
    String token,
    String platform,
    boolean active,
    Instant createdAt,
    Instant deactivatedAt,
    String deactivationReason) {}
