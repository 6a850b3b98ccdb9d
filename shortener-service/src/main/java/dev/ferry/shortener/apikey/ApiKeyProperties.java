package dev.ferry.shortener.apikey;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The API keys this service accepts in {@code X-API-Key}.
 *
 * @param keys each key with the owner it identifies and the owner's tier
 */
@Validated
@ConfigurationProperties("ferry.shortener.api-keys")
public record ApiKeyProperties(@Valid @DefaultValue List<Key> keys) {

  /**
   * @param key the secret; at least 16 characters so that it cannot be guessed by trying
   * @param owner the owner links made with the key belong to
   * @param tier {@code AUTHENTICATED} or {@code PREMIUM}
   */
  public record Key(
      @NotBlank @Size(min = 16, max = 200) String key,
      @NotBlank @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9._@-]+") String owner,
      @NotNull @DefaultValue("AUTHENTICATED") Tier tier) {

    /** Keeps the secret out of logs and failure reports. */
    @Override
    public String toString() {
      return "Key[owner=" + owner + ", tier=" + tier + "]";
    }
  }
}
