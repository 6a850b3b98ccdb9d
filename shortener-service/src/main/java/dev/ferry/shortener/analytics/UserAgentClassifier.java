package dev.ferry.shortener.analytics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Locale;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * Reads browser, operating system, device class and "is a bot" from a {@code User-Agent} with the
 * maintained uap-core rules (through uap-java). Crawlers are what uap-core classifies as the device
 * family {@code Spider} (Googlebot, Bingbot, link-preview fetchers and many more); their clicks are
 * counted apart and never in a link's totals.
 *
 * <p>Loading uap-core's rules compiles about a thousand regular expressions, which takes seconds on
 * a busy machine, so the parser is built on first use (by the analytics consumer), not at start-up.
 *
 * <p>A parse tries those expressions in turn until one matches, tens of microseconds per agent,
 * while the agents of real traffic repeat heavily; so results are kept in a bounded cache of the
 * most used 10,000 agents, and the consumer parses each distinct agent about once.
 *
 * <p>Thread-safe: the parser is built once under the class's lock and published through a volatile
 * field; its compiled patterns are immutable; the cache is Caffeine's.
 */
final class UserAgentClassifier {

  /** What analytics records of one user agent. */
  record Agent(boolean bot, String browser, String os, String device) {}

  private static final Agent UNKNOWN = new Agent(false, "Other", "Other", "unknown");

  private final Cache<String, Agent> classified = Caffeine.newBuilder().maximumSize(10_000).build();
  private volatile Parser parser;

  Agent classify(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return UNKNOWN;
    }
    return classified.get(userAgent, this::parse);
  }

  private Agent parse(String userAgent) {
    Client client = parser().parse(userAgent);
    boolean bot = "Spider".equals(client.device.family);
    String os = client.os.family;
    return new Agent(bot, client.userAgent.family, os, bot ? "bot" : deviceClass(client, os));
  }

  private Parser parser() {
    Parser loaded = parser;
    if (loaded == null) {
      synchronized (this) {
        if (parser == null) {
          parser = new Parser();
        }
        loaded = parser;
      }
    }
    return loaded;
  }

  private static String deviceClass(Client client, String os) {
    String device = client.device.family.toLowerCase(Locale.ROOT);
    if (device.contains("ipad") || device.contains("tablet") || device.contains("kindle")) {
      return "tablet";
    }
    if (os.equals("iOS") || os.equals("Android") || device.contains("phone")) {
      return "mobile";
    }
    return "desktop";
  }
}
