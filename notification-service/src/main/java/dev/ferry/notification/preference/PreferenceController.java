package dev.ferry.notification.preference;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users/{userId}/preferences")
class PreferenceController {

  private final PreferenceService preferences;

  PreferenceController(PreferenceService preferences) {
    this.preferences = preferences;
  }

  @GetMapping
  PreferencesResponse get(@PathVariable @NotBlank @Size(max = 100) String userId) {
    return preferences.get(userId);
  }

  @PutMapping
  PreferencesResponse replace(
      @PathVariable @NotBlank @Size(max = 100) String userId,
      @Valid @RequestBody PreferencesRequest request) {
    return preferences.replace(userId, request);
  }
}
