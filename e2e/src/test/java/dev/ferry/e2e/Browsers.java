package dev.ferry.e2e;

import java.util.List;

/** User agents of real browsers, and how uap-core (the shortener's classifier) names them. */
final class Browsers {

  static final String CHROME_WINDOWS =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/120.0.0.0 Safari/537.36";
  static final String FIREFOX_LINUX =
      "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
  static final String SAFARI_IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
  static final String SAFARI_IPAD =
      "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
          + " Version/17.1 Mobile/15E148 Safari/604.1";

  /** A visitor's browser: its user agent and the browser family and device class it stands for. */
  record Browser(String userAgent, String family, String device) {}

  static final List<Browser> ALL =
      List.of(
          new Browser(CHROME_WINDOWS, "Chrome", "desktop"),
          new Browser(FIREFOX_LINUX, "Firefox", "desktop"),
          new Browser(SAFARI_IPHONE, "Mobile Safari", "mobile"),
          new Browser(SAFARI_IPAD, "Mobile Safari", "tablet"));

  private Browsers() {}
}
