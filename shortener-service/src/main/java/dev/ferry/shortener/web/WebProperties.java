package dev.ferry.shortener.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on requests before they reach a controller.
 *
 * @param maxBodyBytes largest request body accepted; the default fits a full batch of 1000 links
 *     with long URLs and tags, and anything larger is answered 413 without being read
 * @param retryAfterSeconds {@code Retry-After} sent with 503 answers
 * @param blockingThreads most threads running blocking work (JDBC, keygen, rate limits) off the
 *     event loops; each holds at most one shard connection at a time, so more threads than the
 *     shards' pools hold connections only wait
 * @param blockingQueueCapacity most blocking tasks waiting for a thread; more are answered 503
 */
@Validated
@ConfigurationProperties("ferry.shortener.web")
public record WebProperties(
    @Min(1024) @Max(104_857_600) @DefaultValue("4194304") long maxBodyBytes,
    @Min(1) @Max(3600) @DefaultValue("5") int retryAfterSeconds,
    @Min(1) @Max(1024) @DefaultValue("64") int blockingThreads,
    @Min(1) @Max(1_000_000) @DefaultValue("10000") int blockingQueueCapacity) {}
