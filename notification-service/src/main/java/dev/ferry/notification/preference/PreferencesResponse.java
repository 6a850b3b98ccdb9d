package dev.ferry.notification.preference;

import java.util.Map;

/** A user's preferences as clients see them, in the shape of {@link PreferencesRequest}. */
record PreferencesResponse(
    String userId,
    Map<String, Boolean> channels,
    Map<String, Map<String, Boolean>> types,
    QuietHours quietHours) {

  record QuietHours(String start, String end, String timeZone) {}
}
