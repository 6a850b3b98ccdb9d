package dev.ferry.keygen;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.HexFormat;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of keygen-service, validated at start-up.
 *
 * @param secretKey hex AES key of the FF1 permutation (32, 48 or 64 hex digits); required, so a
 *     deployment without one refuses to start. Only the {@code local} profile supplies a public
 *     development key.
 * @param instanceId name of this instance in the claimed-range audit trail
 * @param range how counters are claimed from Postgres
 * @param buffer the buffer of ready codes
 */
@Validated
@ConfigurationProperties("ferry.keygen")
public record KeygenProperties(
    @NotBlank(message = "is required: set FERRY_KEYGEN_SECRET_KEY to 32, 48 or 64 hex digits") @Pattern(
            regexp = "|[0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64}",
            message = "must be 32, 48 or 64 hex digits (an AES-128, -192 or -256 key)")
        String secretKey,
    @NotBlank @DefaultValue("keygen") String instanceId,
    @Valid @DefaultValue Range range,
    @Valid @DefaultValue Buffer buffer) {

  /**
   * @param size counters claimed per database round trip
   * @param prefetchThreshold fraction of a range left when the next range is claimed in the
   *     background, so that a request never waits on Postgres in steady state
   */
  public record Range(
      @Min(100) @Max(1_000_000_000) @DefaultValue("100000") int size,
      @DecimalMin("0.05") @DecimalMax("0.9") @DefaultValue("0.25") double prefetchThreshold) {}

  /**
   * @param capacity most codes held ready in memory
   * @param lowWatermark level at or below which a background refill starts
   * @param chunk codes generated per refill step
   */
  public record Buffer(
      @Min(1_000) @Max(10_000_000) @DefaultValue("200000") int capacity,
      @Min(0) @DefaultValue("50000") int lowWatermark,
      @Min(100) @Max(1_000_000) @DefaultValue("10000") int chunk) {}

  /** The AES key bytes. */
  public byte[] secretKeyBytes() {
    return HexFormat.of().parseHex(secretKey);
  }

  /** Keeps the secret key out of logs and failure reports. */
  @Override
  public String toString() {
    return "KeygenProperties[secretKey=<redacted>, instanceId="
        + instanceId
        + ", range="
        + range
        + ", buffer="
        + buffer
        + "]";
  }
}
