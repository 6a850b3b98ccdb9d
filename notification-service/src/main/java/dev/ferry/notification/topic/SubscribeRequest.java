package dev.ferry.notification.topic;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/topics/{key}/subscribers}. */
record SubscribeRequest(@NotBlank @Size(max = 100) String userId) {}
