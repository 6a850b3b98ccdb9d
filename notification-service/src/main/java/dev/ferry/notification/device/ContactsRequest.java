package dev.ferry.notification.device;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /api/v1/users/{id}/contacts}; a null field removes that contact point.
 *
 * @param phone in E.164: a plus, a non-zero country digit, at most 15 digits in all
 */
record ContactsRequest(
    @Email(regexp = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+", message = "must be an email address") @Size(max = 320) String email,
    @Pattern(
            regexp = "\\+[1-9][0-9]{1,14}",
            message = "must be an E.164 phone number such as +14155550100")
        String phone) {}
