package dev.ferry.shortener.link;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a short link redirects. 301 is the default of the design (cacheable by browsers and crawlers,
 * passes link equity); 302 and 307 keep every visit coming back to us (analytics, {@code
 * max_visits}); 307 and 308 also keep the request method and body.
 */
public enum RedirectType {
  MOVED_PERMANENTLY(301),
  FOUND(302),
  TEMPORARY_REDIRECT(307),
  PERMANENT_REDIRECT(308);

  private final int status;

  RedirectType(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The type for HTTP status {@code status}, if it is one of the four. */
  public static Optional<RedirectType> ofStatus(int status) {
    return Arrays.stream(values()).filter(type -> type.status == status).findFirst();
  }
}
