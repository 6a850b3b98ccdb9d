package dev.ferry.shortener.link;

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
 * scheme fail the scheme rule.
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
    this.blockedHosts =
        properties.blockedHosts().stream().map(host -> host.toLowerCase(Locale.ROOT)).toList();
    this.ownHost = properties.publicBaseUrl().getHost().toLowerCase(Locale.ROOT);
  }

  /**
   * The URL with every non-ASCII character percent-encoded, as sent in {@code Location}: HTTP
   * header values are ASCII, and a raw UTF-8 byte there is read differently by every client. Call
   * only on a URL that passed validation.
   */
  static String toAscii(String longUrl) {
    return URI.create(longUrl).toASCIIString();
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
    if (longUrl.length() > properties.maxUrlLength()) {
      throw InvalidLinkException.of(
          "long_url", "must be at most " + properties.maxUrlLength() + " characters");
    }
    if (CONTROL_OR_SPACE.matcher(longUrl).find()) {
      throw InvalidLinkException.of(
          "long_url", "must not contain whitespace or control characters");
    }
    URI uri;
    try {
      uri = new URI(longUrl);
    } catch (URISyntaxException e) {
      throw InvalidLinkException.of("long_url", "is not a well-formed URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw InvalidLinkException.of("long_url", "must be an http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw InvalidLinkException.of(
          "long_url", "must name a host (internationalised hosts in their xn-- form)");
    }
    if (uri.getRawUserInfo() != null) {
      throw InvalidLinkException.of("long_url", "must not carry user information before the host");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
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
