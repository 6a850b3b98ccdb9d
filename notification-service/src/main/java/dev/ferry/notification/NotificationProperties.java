package dev.ferry.notification;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of notification-service, validated at start-up. Every tunable of the pipeline lives
 * here; see the module README for the full list with defaults.
 *
 * @param kafka topic names and consumer group
 * @param accept the group commit of single sends
 * @param workers consumer threads per priority topic
 * @param inFlight provider calls in flight at once per priority
 * @param outbox the relay from the Postgres outbox to Kafka
 * @param scheduler the poller that enqueues scheduled, held and retry-due work
 * @param retry backoff of failed deliveries
 * @param idempotency how long an idempotency key keeps returning the original notification
 * @param limits request size limits
 * @param rateLimit anti-spam and per-API-key limits, counted in Redis
 * @param circuitBreaker the per-provider breaker that triggers failover
 * @param channels which provider instance is primary and secondary for each channel
 * @param providers named provider instances (FCM, SendGrid, Twilio or the logging provider)
 * @param webhooks verification of provider status callbacks
 */
@Validated
@ConfigurationProperties("ferry.notification")
public record NotificationProperties(
    @Valid @DefaultValue Kafka kafka,
    @Valid @DefaultValue Accept accept,
    @Valid @DefaultValue Workers workers,
    @Valid @DefaultValue InFlight inFlight,
    @Valid @DefaultValue Outbox outbox,
    @Valid @DefaultValue Scheduler scheduler,
    @Valid @DefaultValue Retry retry,
    @Valid @DefaultValue Idempotency idempotency,
    @Valid @DefaultValue Limits limits,
    @Valid @DefaultValue RateLimit rateLimit,
    @Valid @DefaultValue CircuitBreaker circuitBreaker,
    @Valid @DefaultValue Channels channels,
    @NotNull @DefaultValue Map<String, @Valid ProviderInstance> providers,
    @Valid @DefaultValue Webhooks webhooks) {

  /**
   * @param topicPrefix priority topics are {@code <prefix>.critical|high|normal|low}
   * @param deadLetterTopic where failed deliveries are recorded
   * @param groupId prefix of the delivery workers' consumer groups, one per priority: {@code
   *     <group-id>.critical|high|normal|low}
   */
  public record Kafka(
      @NotBlank @DefaultValue("notifications") String topicPrefix,
      @NotBlank @DefaultValue("notifications.dead-letter") String deadLetterTopic,
      @NotBlank @DefaultValue("notification-workers") String groupId) {

    /** The topic of {@code priority}. */
    public String topic(Priority priority) {
      return topicPrefix + "." + priority.wire();
    }
  }

  /**
   * The group commit of single sends: concurrent sends are stored together, in one transaction.
   *
   * @param committers threads that plan and store batches; two let one batch be prepared while the
   *     other commits
   * @param maxBatch most sends in one transaction
   * @param queueCapacity sends that may wait for a committer; beyond that a send gets 503
   */
  public record Accept(
      @Min(1) @Max(16) @DefaultValue("2") int committers,
      @Min(1) @Max(10_000) @DefaultValue("256") int maxBatch,
      @Min(1) @Max(1_000_000) @DefaultValue("10000") int queueCapacity) {}

  /**
   * Consumer threads per priority topic; critical gets its own so a low flood cannot starve it, and
   * the most, because a worker mostly waits (Postgres, the provider's HTTP call) and critical must
   * keep up with bursts. More threads than the topic has partitions stay idle.
   *
   * @param lowMaxPause longest a low-priority poll is held while critical or high work is in flight
   *     (see {@code delivery.UrgentWorkGate}), so low yields the CPU to urgent work but never
   *     starves
   */
  public record Workers(
      @Min(1) @Max(64) @DefaultValue("4") int critical,
      @Min(1) @Max(64) @DefaultValue("2") int high,
      @Min(1) @Max(64) @DefaultValue("2") int normal,
      @Min(1) @Max(64) @DefaultValue("1") int low,
      @NotNull @DefaultValue("500ms") Duration lowMaxPause) {

    public Workers {
      if (lowMaxPause != null && (lowMaxPause.isNegative() || lowMaxPause.toMinutes() >= 1)) {
        throw new IllegalArgumentException(
            "workers.low-max-pause must be between 0 and 1 minute: " + lowMaxPause);
      }
    }
  }

  /**
   * Provider calls in flight at once per priority: each priority has its own pool of that many call
   * threads, so critical has capacity of its own that no backlog of low can take, and a slow
   * provider holds at most this many threads of a priority. A worker sends the deliveries of one
   * Kafka poll in parallel on its priority's pool.
   */
  public record InFlight(
      @Min(1) @Max(512) @DefaultValue("32") int critical,
      @Min(1) @Max(512) @DefaultValue("16") int high,
      @Min(1) @Max(512) @DefaultValue("16") int normal,
      @Min(1) @Max(512) @DefaultValue("4") int low) {

    /** The limit of {@code priority}. */
    public int of(Priority priority) {
      return switch (priority) {
        case CRITICAL -> critical;
        case HIGH -> high;
        case NORMAL -> normal;
        case LOW -> low;
      };
    }
  }

  /**
   * @param pollInterval pause between relay passes when the outbox was empty
   * @param batchSize rows published per pass
   * @param sendTimeout how long a pass waits for Kafka acknowledgements before giving up and
   *     leaving the rows for the next pass
   */
  public record Outbox(
      @NotNull @DefaultValue("100ms") Duration pollInterval,
      @Min(1) @Max(10_000) @DefaultValue("500") int batchSize,
      @NotNull @DefaultValue("10s") Duration sendTimeout) {}

  /**
   * @param pollInterval pause between scheduler passes
   * @param batchSize rows claimed per pass
   * @param sendingLease how long a delivery may stay "sending" before it is presumed lost with its
   *     worker and retried
   */
  public record Scheduler(
      @NotNull @DefaultValue("1s") Duration pollInterval,
      @Min(1) @Max(10_000) @DefaultValue("500") int batchSize,
      @NotNull @DefaultValue("2m") Duration sendingLease) {}

  /**
   * Delay before retry n (n = 1, 2, ...) is {@code initialDelay * multiplier^(n-1)}, capped at
   * {@code maxDelay}, spread by ±{@code jitter}, and never shorter than a provider's Retry-After.
   *
   * @param maxAttempts attempts per delivery including the first (4 gives the design's three
   *     retries at 60 s, 120 s, 240 s)
   */
  public record Retry(
      @Min(1) @Max(20) @DefaultValue("4") int maxAttempts,
      @NotNull @DefaultValue("60s") Duration initialDelay,
      @DecimalMin("1.0") @DecimalMax("10.0") @DefaultValue("2.0") double multiplier,
      @NotNull @DefaultValue("1h") Duration maxDelay,
      @DecimalMin("0.0") @DecimalMax("0.9") @DefaultValue("0.2") double jitter) {}

  /**
   * @param retention how long a key returns the original notification; at least a day.
   */
  public record Idempotency(@NotNull @DefaultValue("48h") Duration retention) {}

  /**
   * @param maxBodyChars longest accepted {@code body} and rendered body
   * @param maxBatch most notifications in one batch request
   */
  public record Limits(
      @Min(1) @Max(1_000_000) @DefaultValue("10000") int maxBodyChars,
      @Min(1) @Max(10_000) @DefaultValue("1000") int maxBatch) {}

  /**
   * Fixed-window counters in Redis, shared by every instance. When Redis is unreachable the limits
   * fail open: spam protection is worth less than accepting a critical notification.
   *
   * @param perUserChannel sends per user and channel in one window; more are skipped as {@code
   *     rate_limited}
   * @param perApiKey requests per {@code X-Api-Key} in one window; more get 429
   * @param window length of a window
   */
  public record RateLimit(
      @DefaultValue("true") boolean enabled,
      @Min(1) @DefaultValue("100") int perUserChannel,
      @Min(1) @DefaultValue("100000") int perApiKey,
      @NotNull @DefaultValue("1m") Duration window) {}

  /** Resilience4j breaker per provider instance; an open breaker sends traffic to the secondary. */
  public record CircuitBreaker(
      @DecimalMin("1") @DecimalMax("100") @DefaultValue("50") float failureRateThreshold,
      @Min(1) @DefaultValue("10") int slidingWindowSize,
      @Min(1) @DefaultValue("5") int minimumCalls,
      @NotNull @DefaultValue("30s") Duration openDuration) {}

  /** Provider routing per channel. */
  public record Channels(
      @Valid @DefaultValue Route push,
      @Valid @DefaultValue Route email,
      @Valid @DefaultValue Route sms) {

    public Route route(Channel channel) {
      return switch (channel) {
        case PUSH -> push;
        case EMAIL -> email;
        case SMS -> sms;
      };
    }
  }

  /**
   * @param primary name of the provider instance tried first
   * @param secondary name of the instance used when the primary fails with 5xx, a timeout or an
   *     open circuit; empty for none
   */
  public record Route(
      @NotBlank @DefaultValue("log") String primary, @DefaultValue("") String secondary) {}

  /**
   * One provider instance. Which fields matter depends on {@code type}: {@code fcm} uses projectId,
   * accessToken or credentialsFile; {@code sendgrid} uses apiKey and from; {@code twilio} uses
   * accountSid, authToken and from; {@code log} uses none.
   *
   * @param baseUrl where the SDK's requests go; empty for the real service. Tests and the local
   *     stack point it at a fake ({@code http://localhost:PORT}).
   * @param timeout connect and read timeout of one provider call
   */
  public record ProviderInstance(
      @NotNull @Pattern(regexp = "fcm|sendgrid|twilio|log") String type,
      @DefaultValue("") String baseUrl,
      @DefaultValue("") String projectId,
      @DefaultValue("") String accessToken,
      @DefaultValue("") String credentialsFile,
      @DefaultValue("") String apiKey,
      @DefaultValue("") String accountSid,
      @DefaultValue("") String authToken,
      @DefaultValue("") String from,
      @NotNull @DefaultValue("10s") Duration timeout) {

    /** Keeps secrets out of logs and failure reports. */
    @Override
    public String toString() {
      return "ProviderInstance[type=" + type + ", baseUrl=" + baseUrl + ", secrets=<redacted>]";
    }
  }

  /**
   * @param sendgridVerificationKey base64 ECDSA public key of the SendGrid event webhook; empty
   *     accepts unsigned events (local stack only)
   * @param twilioAuthToken auth token that signs Twilio status callbacks; empty accepts unsigned
   * @param publicBaseUrl this service's URL as Twilio sees it, used for the signature and the
   *     {@code StatusCallback}; empty sends no callback URL
   */
  public record Webhooks(
      @DefaultValue("") String sendgridVerificationKey,
      @DefaultValue("") String twilioAuthToken,
      @DefaultValue("") String publicBaseUrl) {

    @Override
    public String toString() {
      return "Webhooks[publicBaseUrl=" + publicBaseUrl + ", keys=<redacted>]";
    }
  }
}
