package dev.ferry.notification.template;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A stored template as clients see it. */
record TemplateResponse(
    UUID id,
    String name,
    String channel,
    String subject,
    String title,
    String body,
    List<String> variables,
    Instant createdAt,
    Instant updatedAt) {}
