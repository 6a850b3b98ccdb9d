package dev.ferry.notification.topic;

import dev.ferry.notification.notification.BatchResponse;
import dev.ferry.notification.notification.NotificationService;
import dev.ferry.notification.notification.SendNotificationRequest;
import dev.ferry.notification.ratelimit.RateLimiter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.time.Clock;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Topic membership and fan-out of one notification to every subscriber of a topic. */
@RestController
@RequestMapping("/api/v1/topics/{key}")
class TopicController {

  private static final String KEY = "[A-Za-z0-9_.:-]{1,100}";

  private final TopicRepository topics;
  private final NotificationService notifications;
  private final RateLimiter rateLimiter;
  private final Clock clock;

  TopicController(
      TopicRepository topics,
      NotificationService notifications,
      RateLimiter rateLimiter,
      Clock clock) {
    this.topics = topics;
    this.notifications = notifications;
    this.rateLimiter = rateLimiter;
    this.clock = clock;
  }

  @PostMapping("/subscribers")
  ResponseEntity<List<String>> subscribe(
      @PathVariable @Pattern(regexp = KEY) String key,
      @Valid @RequestBody SubscribeRequest request) {
    topics.subscribe(key, request.userId(), clock.instant());
    return ResponseEntity.status(HttpStatus.CREATED).body(topics.subscribers(key));
  }

  @GetMapping("/subscribers")
  List<String> subscribers(@PathVariable @Pattern(regexp = KEY) String key) {
    return topics.subscribers(key);
  }

  @DeleteMapping("/subscribers/{userId}")
  ResponseEntity<Void> unsubscribe(@PathVariable String key, @PathVariable String userId) {
    topics.unsubscribe(key, userId);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/notifications")
  ResponseEntity<TopicFanOutResponse> fanOut(
      @PathVariable @Pattern(regexp = KEY) String key,
      @Valid @RequestBody TopicNotificationRequest request,
      @RequestHeader(name = "X-Api-Key", required = false) String apiKey) {
    rateLimiter.checkApiKey(apiKey);
    List<SendNotificationRequest> sends =
        topics.subscribers(key).stream().map(request::forSubscriber).toList();
    BatchResponse results = BatchResponse.of(notifications.acceptBatch(sends, (item, i) -> {}));
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(new TopicFanOutResponse(key, sends.size(), results));
  }
}
