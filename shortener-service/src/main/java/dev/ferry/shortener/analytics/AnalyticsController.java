package dev.ferry.shortener.analytics;

import dev.ferry.shortener.apikey.Caller;
import dev.ferry.shortener.link.InvalidLinkException;
import dev.ferry.shortener.link.LinkService;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AnalyticsController {

  private static final int DEFAULT_DAYS = 30;

  private final LinkService links;
  private final AnalyticsService analytics;
  private final AnalyticsProperties properties;
  private final Clock clock;

  AnalyticsController(
      LinkService links, AnalyticsService analytics, AnalyticsProperties properties, Clock clock) {
    this.links = links;
    this.analytics = analytics;
    this.properties = properties;
    this.clock = clock;
  }

  /** Clicks of an owned link; {@code from} and {@code to} are UTC days, the last 30 by default. */
  @GetMapping("/api/v1/analytics/{code}")
  AnalyticsResponse analytics(
      @PathVariable @Size(max = 32) String code,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
      Caller caller) {
    links.details(code, caller);
    LocalDate end = to == null ? LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) : to;
    LocalDate start = from == null ? end.minusDays(DEFAULT_DAYS - 1) : from;
    if (start.isAfter(end)) {
      throw InvalidLinkException.of("from", "must not be after 'to'");
    }
    if (ChronoUnit.DAYS.between(start, end) >= properties.maxRangeDays()) {
      throw InvalidLinkException.of(
          "from", "the range may span at most " + properties.maxRangeDays() + " days");
    }
    return analytics.stats(code, start, end);
  }
}
