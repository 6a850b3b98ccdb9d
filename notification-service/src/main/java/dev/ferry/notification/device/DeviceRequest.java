package dev.ferry.notification.device;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/users/{id}/devices}: a push token and the platform it is for. */
record DeviceRequest(
    @NotBlank @Size(max = 500) String token,
    @NotBlank @Pattern(regexp = "ios|android|web", message = "must be one of ios, android, web") String platform) {}
