package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** notification-service's public HTTP API. */
final class NotificationClient {

  private final Http http;
  private final String baseUrl;

  NotificationClient(Http http, int port) {
    this.http = http;
    this.baseUrl = "http://localhost:" + port;
  }

  void setContacts(String user, String email, String phone) {
    expectSuccess(
        http.send(
            "PUT",
            baseUrl + "/api/v1/users/" + user + "/contacts",
            Map.of(),
            Map.of("email", email, "phone", phone)));
  }

  void addDevice(String user, String token) {
    expectSuccess(
        http.send(
            "POST",
            baseUrl + "/api/v1/users/" + user + "/devices",
            Map.of(),
            Map.of("token", token, "platform", "android")));
  }

  void optOut(String user, String channel) {
    expectSuccess(
        http.send(
            "PUT",
            baseUrl + "/api/v1/users/" + user + "/preferences",
            Map.of(),
            Map.of("channels", Map.of(channel, false))));
  }

  /** Sends a notification and returns the 202's body. */
  JsonNode send(String user, List<String> channels, String title, String body) {
    HttpResponse<String> accepted =
        http.send(
            "POST",
            baseUrl + "/api/v1/notifications",
            Map.of(),
            Map.of(
                "user_id", user,
                "type", "e2e",
                "priority", "high",
                "channels", channels,
                "title", title,
                "body", body));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return Http.json(accepted);
  }

  /**
   * A notification's status document: the overall {@code status} (delivered, in_progress, failed,
   * ...) and each channel's state, attempts and last error.
   */
  JsonNode status(String notificationId) {
    HttpResponse<String> status =
        http.send(
            "GET", baseUrl + "/api/v1/notifications/" + notificationId + "/status", Map.of(), null);
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    return Http.json(status);
  }

  private static void expectSuccess(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
  }
}
