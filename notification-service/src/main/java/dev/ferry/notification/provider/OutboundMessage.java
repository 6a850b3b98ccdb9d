package dev.ferry.notification.provider;

import dev.ferry.notification.Channel;
import dev.ferry.notification.Priority;
import java.util.Map;
import java.util.UUID;

/**
 * One message to one recipient, as handed to a provider.
 *
 * @param deliveryId the delivery this message belongs to, passed to providers for their logs and
 *     status callbacks
 * @param recipient a push token, an email address or an E.164 phone number
 * @param data key/value pairs a push carries to the app; empty for email and SMS
 */
public record OutboundMessage(
    UUID deliveryId,
    Channel channel,
    Priority priority,
    String recipient,
    String subject,
    String title,
    String body,
    Map<String, String> data) {}
