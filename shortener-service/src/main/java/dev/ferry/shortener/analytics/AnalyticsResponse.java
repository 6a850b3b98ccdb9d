package dev.ferry.shortener.analytics;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Clicks of one link in a date range (UTC days, inclusive), read from rollups only. Bot clicks are
 * excluded from every figure except {@code bot_clicks} and {@code clicks_by_bot}.
 */
record AnalyticsResponse(
    String shortCode,
    LocalDate from,
    LocalDate to,
    long totalClicks,
    long botClicks,
    List<DayClicks> clicksByDay,
    Map<String, Long> clicksByCountry,
    Map<String, Long> clicksByDevice,
    Map<String, Long> clicksByBrowser,
    Map<String, Long> clicksByOs,
    Map<String, Long> clicksByReferrer,
    Map<String, Long> clicksByBot) {

  /** Human clicks on one day. */
  record DayClicks(LocalDate date, long clicks) {}
}
