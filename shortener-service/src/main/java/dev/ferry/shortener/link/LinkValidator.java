package dev.ferry.shortener.link;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules a link must satisfy that are code rather than annotations. Each failure names the field
 * at fault, so the client sees a 400 problem it can act on, and nothing is stored.
 *
 * <p>Long URLs: only {@code http} and {@code https} with a host, no user info (a classic phishing
 * disguise: {@code https://bank.com@evil.example}), no control characters or whitespace, at most
 * the configured length, not on the block list and not pointing back at this service (a short link
 * to a short link of ours loops). {@code javascript:}, {@code data:}, {@code file:} and every other
 * scheme fail the scheme rule. Unicode host names are accepted and converted to their ASCII form
 * first (see {@link #toAscii}); every rule applies to the converted URL, so a look-alike spelling
 * of a blocked host (full-width letters, say) is blocked like the host itself.
 *
 * <p>Thread-safe: immutable.
 */
final class LinkValidator {

  private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{3,32}");
  private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N} _.:-]{1,50}");
  private static final Pattern CONTROL_OR_SPACE = Pattern.compile("[\\p{Cntrl}\\s\\u2028\\u2029]");
  private static final long MAX_VISITS_LIMIT = 1_000_000_000_000L;

  private final LinkProperties properties;
  private final Clock clock;
  private final Set<String> reserved;
  private final List<String> blockedHosts;
  private final String ownHost;

  LinkValidator(LinkProperties properties, Clock clock) {
    this.properties = properties;
    this.clock = clock;
    this.reserved =
        properties.reservedWords().stream()
            .map(word -> word.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    this.blockedHosts = properties.blockedHosts().stream().map(LinkValidator::asciiHost).toList();
    this.ownHost = asciiHost(properties.publicBaseUrl().getHost());
  }

  /**
   * The form a long URL is stored and redirected to: an internationalised host in its ASCII
   * (punycode, {@code xn--}) form, and every other non-ASCII character percent-encoded as UTF-8, as
   * browsers send them. HTTP header values are ASCII, and a raw UTF-8 byte in {@code Location} is
   * read differently by every client. Call only on a URL that passed validation.
   */
  static String toAscii(String longUrl) {
    return normalised(longUrl).toASCIIString();
  }

  /**
   * {@code longUrl} parsed, with a Unicode host converted by {@link IDN#toASCII} under the STD3
   * rules (letters, digits and hyphens only, no empty or over-long labels), the check browsers and
   * DNS apply. {@link URI} cannot hold such a host as a host (it reads the authority as a registry
   * name and reports no host), so the URL is rebuilt around the converted host and parsed again.
   *
   * @throws InvalidLinkException if the URL or its host is malformed, or it carries user info
   */
  private static URI normalised(String longUrl) {
    URI uri = parse(longUrl);
    String authority = uri.getRawAuthority();
    if (uri.getScheme() == null
        || uri.getHost() != null
        || authority == null
        || isAscii(authority)) {
      return uri;
    }
    if (authority.contains("@")) {
      throw userInfo();
    }
    int colon = authority.lastIndexOf(':');
    String host = colon < 0 ? authority : authority.substring(0, colon);
    String port = colon < 0 ? "" : authority.substring(colon);
    String asciiHost;
    try {
      asciiHost = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
    } catch (IllegalArgumentException e) {
      throw InvalidLinkException.of(
          "long_url", "has a host that is not a valid internationalised domain name");
    }
    return parse(
        uri.getScheme()
            + "://"
            + asciiHost
            + port
            + (uri.getRawPath() == null ? "" : uri.getRawPath())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
            + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment()));
  }

  private static URI parse(String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw InvalidLinkException.of("long_url", "is not a well-formed URL");
    }
  }

  private static boolean isAscii(String value) {
    return value.chars().allMatch(c -> c < 0x80);
  }

  private static InvalidLinkException userInfo() {
    return InvalidLinkException.of("long_url", "must not carry user information before the host");
  }

  /** A configured host in the form {@link #normalised} gives hosts, lower case, no final dot. */
  private static String asciiHost(String host) {
    return withoutFinalDot(IDN.toASCII(host).toLowerCase(Locale.ROOT));
  }

  private static String withoutFinalDot(String host) {
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  void validate(ShortenCommand command) {
    validateLongUrl(command.longUrl());
    if (command.customAlias() != null) {
      validateAlias(command.customAlias());
    }
    validateOptional(
        command.expiresAt() == null ? null : command.expiresAt().toEpochMilli(),
        command.maxVisits(),
        command.tags(),
        command.redirectType());
  }

  void validate(UpdateLinkCommand command) {
    if (command.longUrl() != null) {
      validateLongUrl(command.longUrl());
    }
    validateOptional(
        command.expiresAt() == null
            ? null
            : command.expiresAt().map(Instant::toEpochMilli).orElse(null),
        command.maxVisits() == null ? null : command.maxVisits().orElse(null),
        command.tags(),
        command.redirectType());
  }

  private void validateOptional(
      Long expiresAtMillis, Long maxVisits, List<String> tags, Integer redirectType) {
    if (expiresAtMillis != null && expiresAtMillis <= clock.millis()) {
      throw InvalidLinkException.of("expires_at", "must be in the future");
    }
    if (maxVisits != null && (maxVisits < 1 || maxVisits > MAX_VISITS_LIMIT)) {
      throw InvalidLinkException.of("max_visits", "must be between 1 and " + MAX_VISITS_LIMIT);
    }
    if (tags != null) {
      if (tags.size() > properties.maxTags()) {
        throw InvalidLinkException.of(
            "tags", "must hold at most " + properties.maxTags() + " tags");
      }
      for (String tag : tags) {
        if (tag == null || !TAG.matcher(tag).matches()) {
          throw InvalidLinkException.of(
              "tags", "must be 1 to 50 letters, digits, spaces or the characters _ . : - each");
        }
      }
    }
    if (redirectType != null && RedirectType.ofStatus(redirectType).isEmpty()) {
      throw InvalidLinkException.of("redirect_type", "must be 301, 302, 307 or 308");
    }
  }

  private void validateAlias(String alias) {
    if (!ALIAS.matcher(alias).matches()) {
      throw InvalidLinkException.of("custom_alias", "must be 3 to 32 letters, digits, '_' or '-'");
    }
    if (reserved.contains(alias.toLowerCase(Locale.ROOT))) {
      throw InvalidLinkException.of("custom_alias", "is a reserved word");
    }
  }

  private void validateLongUrl(String longUrl) {
    if (longUrl == null || longUrl.isBlank()) {
      throw InvalidLinkException.of("long_url", "is required");
    }
    if (CONTROL_OR_SPACE.matcher(longUrl).find()) {
      throw InvalidLinkException.of(
          "long_url", "must not contain whitespace or control characters");
    }
    URI uri = normalised(longUrl);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw InvalidLinkException.of("long_url", "must be an http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw InvalidLinkException.of("long_url", "must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      throw userInfo();
    }
    if (uri.toASCIIString().length() > properties.maxUrlLength()) {
      throw InvalidLinkException.of(
          "long_url",
          "must be at most "
              + properties.maxUrlLength()
              + " characters once its host is in ASCII and the rest percent-encoded");
    }
    String host = withoutFinalDot(uri.getHost().toLowerCase(Locale.ROOT));
    if (host.equals(ownHost)) {
      throw InvalidLinkException.of("long_url", "must not point back at this shortener");
    }
    for (String blocked : blockedHosts) {
      if (host.equals(blocked) || host.endsWith("." + blocked)) {
        throw InvalidLinkException.of("long_url", "points at a blocked host");
      }
    }
  }
}
