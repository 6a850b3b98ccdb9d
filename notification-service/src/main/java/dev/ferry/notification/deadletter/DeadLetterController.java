package dev.ferry.notification.deadletter;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/dead-letters")
class DeadLetterController {

  private final DeadLetterService deadLetters;

  DeadLetterController(DeadLetterService deadLetters) {
    this.deadLetters = deadLetters;
  }

  @GetMapping
  List<DeadLetterResponse> list(
      @RequestParam(name = "include_redriven", defaultValue = "false") boolean includeRedriven,
      @RequestParam(required = false) @Pattern(regexp = "push|email|sms") String channel,
      @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
    return deadLetters.list(includeRedriven, channel, limit);
  }

  @PostMapping("/{id}/redrive")
  ResponseEntity<DeadLetterResponse> redrive(@PathVariable UUID id) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(deadLetters.redrive(id));
  }
}
