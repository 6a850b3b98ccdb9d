package dev.ferry.notification.notification;

import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.ratelimit.RateLimiter;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/notifications")
class NotificationController {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final String API_KEY = "X-Api-Key";

  private final NotificationService notifications;
  private final RateLimiter rateLimiter;
  private final Validator validator;
  private final int maxBatch;

  NotificationController(
      NotificationService notifications,
      RateLimiter rateLimiter,
      Validator validator,
      NotificationProperties properties) {
    this.notifications = notifications;
    this.rateLimiter = rateLimiter;
    this.validator = validator;
    this.maxBatch = properties.limits().maxBatch();
  }

  /**
   * Answered in the request's own dispatch: the request thread validates and queues the send, then
   * waits, parked, until the group commit holding it has committed. (Returning the future instead
   * made Spring MVC dispatch every request a second time, through every filter, to write the 202:
   * about a third of the request threads' CPU under load.)
   */
  @PostMapping
  ResponseEntity<NotificationAcceptedResponse> send(
      @Valid @RequestBody SendNotificationRequest request,
      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
      @RequestHeader(name = API_KEY, required = false) String apiKey) {
    rateLimiter.checkApiKey(apiKey);
    NotificationService.Accepted accepted = notifications.accept(request, idempotencyKey);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .header("Idempotent-Replayed", String.valueOf(accepted.replayed()))
        .body(accepted.response());
  }

  @PostMapping("/batch")
  ResponseEntity<BatchResponse> sendBatch(
      @Valid @RequestBody BatchRequest request,
      @RequestHeader(name = API_KEY, required = false) String apiKey) {
    rateLimiter.checkApiKey(apiKey);
    if (request.notifications().size() > maxBatch) {
      throw InvalidNotificationException.of(
          "notifications", "holds more than the limit of " + maxBatch + " items");
    }
    List<BatchResponse.Item> results =
        notifications.acceptBatch(request.notifications(), this::validate);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(BatchResponse.of(results));
  }

  @GetMapping("/{id}/status")
  NotificationStatusResponse status(@PathVariable UUID id) {
    return notifications.status(id);
  }

  private void validate(SendNotificationRequest item, int index) {
    if (item == null) {
      throw InvalidNotificationException.of("notifications[" + index + "]", "must not be null");
    }
    validator.validate(item).stream()
        .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
        .ifPresent(
            violation -> {
              throw InvalidNotificationException.of(
                      FieldNames.wire(violation.getPropertyPath().toString()),
                      violation.getMessage())
                  .inBatch(index);
            });
  }
}
