package dev.ferry.shortener.analytics;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Instant;
import java.util.UUID;

/**
 * One redirect served, as sent to Kafka. The event id makes counting idempotent: the consumer
 * counts an id once however often Kafka delivers it.
 *
 * @param eventId unique id
 * @param code short code
 * @param occurredAt when the redirect was served; on the wire as epoch milliseconds, which the
 *     consumer reads several times faster than an ISO-8601 string (ISO strings of older producers
 *     are still read)
 * @param ip client address
 * @param userAgent the {@code User-Agent} header, or null
 * @param referrer the {@code Referer} header, or null
 * @param country ISO country code from the trusted edge header, or null
 */
record ClickEvent(
    UUID eventId,
    String code,
    @JsonFormat(
            shape = JsonFormat.Shape.NUMBER_INT,
            without = JsonFormat.Feature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
        Instant occurredAt,
    String ip,
    String userAgent,
    String referrer,
    String country) {}
