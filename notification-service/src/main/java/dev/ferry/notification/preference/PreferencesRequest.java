package dev.ferry.notification.preference;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Map;

/**
 * Body of {@code PUT /api/v1/users/{id}/preferences}: the whole preference set, replacing the
 * stored one.
 *
 * @param channels on/off per channel ({@code push}, {@code email}, {@code sms}); a channel left out
 *     is on
 * @param types per notification type, channel overrides ({@code {"promo": {"sms": false}}})
 * @param quietHours optional quiet hours
 */
record PreferencesRequest(
    Map<
            @Pattern(regexp = "push|email|sms", message = "must be push, email or sms") String,
            @NotNull Boolean>
        channels,
    Map<
            @NotBlank String,
            @NotNull Map<
                @Pattern(regexp = "push|email|sms", message = "must be push, email or sms") String,
                @NotNull Boolean>>
        types,
    @Valid QuietHoursRequest quietHours) {

  /**
   * Quiet hours as local times in {@code timeZone}; {@code start} after {@code end} spans midnight.
   */
  record QuietHoursRequest(
      @NotNull @Pattern(regexp = "([01][0-9]|2[0-3]):[0-5][0-9]", message = "must be HH:mm")
          String start,
      @NotNull @Pattern(regexp = "([01][0-9]|2[0-3]):[0-5][0-9]", message = "must be HH:mm")
          String end,
      @NotBlank String timeZone) {}
}
