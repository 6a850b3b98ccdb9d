package dev.ferry.shortener.apikey;

import java.util.Objects;

/**
 * Who sent a request: the owner named by a valid {@code X-API-Key}, or an anonymous caller known
 * only by its IP address.
 *
 * @param id owner name for a key holder, {@code ip:<address>} for an anonymous caller
 * @param tier service level
 */
public record Caller(String id, Tier tier) {

  public Caller {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tier, "tier");
  }

  public static Caller anonymous(String remoteAddress) {
    return new Caller("ip:" + remoteAddress, Tier.ANONYMOUS);
  }

  /** Whether the caller presented a valid API key, and so may own links. */
  public boolean authenticated() {
    return tier != Tier.ANONYMOUS;
  }
}
