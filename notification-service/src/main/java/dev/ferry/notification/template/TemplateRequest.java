package dev.ferry.notification.template;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /api/v1/templates} and {@code PUT /api/v1/templates/{id}}. */
record TemplateRequest(
    @NotBlank @Size(max = 100) @Pattern(
            regexp = "[a-z0-9][a-z0-9_.-]*",
            message = "must be lower-case letters, digits, '_', '.' or '-'")
        String name,
    @NotBlank @Pattern(regexp = "push|email|sms", message = "must be one of push, email, sms") String channel,
    @Size(max = 255) String subject,
    @Size(max = 255) String title,
    @NotBlank @Size(max = 10_000) String body,
    List<
            @NotNull @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_.]*", message = "must be a variable name") String>
        variables) {}
