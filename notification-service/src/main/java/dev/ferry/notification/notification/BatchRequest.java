package dev.ferry.notification.notification;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** Body of {@code POST /api/v1/notifications/batch}; items are validated one by one. */
record BatchRequest(@NotNull @NotEmpty List<SendNotificationRequest> notifications) {}
