package dev.ferry.shortener.link;

import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} of a shorten request: the client's name for one logical request, so
 * that a retry after a lost answer returns the link the first attempt made instead of a second one.
 * Keys are scoped to the caller, so two callers cannot collide or read each other's links.
 *
 * @param value 1 to 255 visible ASCII characters, as the IETF draft's examples (UUIDs) and Stripe's
 *     limit suggest
 */
public record IdempotencyKey(String value) {

  public static final String HEADER = "Idempotency-Key";

  private static final Pattern VALID = Pattern.compile("[\\x21-\\x7E]{1,255}");

  public IdempotencyKey {
    if (value == null || !VALID.matcher(value).matches()) {
      throw InvalidLinkException.of(HEADER, "must be 1 to 255 visible ASCII characters");
    }
  }
}
