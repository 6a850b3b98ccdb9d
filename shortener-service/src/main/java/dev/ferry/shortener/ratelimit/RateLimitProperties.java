package dev.ferry.shortener.ratelimit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Link-creation limits per caller tier, from the design: anonymous 10, authenticated 100 and
 * premium 1000 links per hour. A batch takes one unit per item.
 *
 * @param enabled whether creation is limited at all
 * @param anonymous links per period for a caller without API key (counted per IP address)
 * @param authenticated links per period for an ordinary API key
 * @param premium links per period for a premium API key
 * @param periodSeconds the period; the allowance refills in full at its end
 */
@Validated
@ConfigurationProperties("ferry.shortener.rate-limits")
public record RateLimitProperties(
    @DefaultValue("true") boolean enabled,
    @Min(1) @Max(100_000_000) @DefaultValue("10") long anonymous,
    @Min(1) @Max(100_000_000) @DefaultValue("100") long authenticated,
    @Min(1) @Max(100_000_000) @DefaultValue("1000") long premium,
    @Min(1) @Max(86_400) @DefaultValue("3600") int periodSeconds) {}
