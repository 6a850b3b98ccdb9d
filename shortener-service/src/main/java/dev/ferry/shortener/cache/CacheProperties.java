package dev.ferry.shortener.cache;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The two cache levels in front of the shards.
 *
 * @param l1Enabled whether each instance keeps its own Caffeine cache (off only to measure L2)
 * @param l1MaxEntries most links held in L1
 * @param l1TtlSeconds how long L1 keeps a link
 * @param l2Enabled whether Redis is used as the shared second level
 * @param l2TtlSeconds how long Redis keeps a link
 * @param negativeTtlSeconds how long both levels remember that a code does not exist; short, so a
 *     custom alias created on an instance whose invalidation was lost is found soon anyway
 * @param keyPrefix prefix of L2 keys
 * @param invalidationChannel Redis pub/sub channel carrying the codes to evict from every L1
 * @param maxPendingInvalidations most codes kept for a replay while their invalidation cannot reach
 *     Redis; beyond, invalidations are dropped and counted, and the L2 TTL bounds how long their
 *     old entries may be served
 */
@Validated
@ConfigurationProperties("ferry.shortener.cache")
public record CacheProperties(
    @DefaultValue("true") boolean l1Enabled,
    @Min(1) @Max(10_000_000) @DefaultValue("10000") int l1MaxEntries,
    @Min(1) @Max(86_400) @DefaultValue("300") int l1TtlSeconds,
    @DefaultValue("true") boolean l2Enabled,
    @Min(1) @Max(2_592_000) @DefaultValue("86400") int l2TtlSeconds,
    @Min(1) @Max(3_600) @DefaultValue("30") int negativeTtlSeconds,
    @NotBlank @DefaultValue("ferry:link:") String keyPrefix,
    @NotBlank @DefaultValue("ferry:link-invalidations") String invalidationChannel,
    @Min(1) @Max(10_000_000) @DefaultValue("100000") int maxPendingInvalidations) {}
