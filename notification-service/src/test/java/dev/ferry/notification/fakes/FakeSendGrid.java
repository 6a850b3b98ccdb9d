package dev.ferry.notification.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SendGrid v3 {@code POST /v3/mail/send}: 202 with an empty body and {@code X-Message-Id} on
 * success; 429 with {@code X-RateLimit-*} headers; 5xx; 400 with SendGrid's {@code errors} array.
 */
public final class FakeSendGrid extends FakeProviderServer {

  private static final Pattern TO =
      Pattern.compile("\"to\"\\s*:\\s*\\[\\s*\\{[^}]*\"email\"\\s*:\\s*\"([^\"]*)\"");

  @Override
  protected boolean isSendPath(String path) {
    return "/v3/mail/send".equals(path);
  }

  @Override
  protected String recipient(HttpExchange exchange, String body) {
    Matcher matcher = TO.matcher(body);
    return matcher.find() ? matcher.group(1) : null;
  }

  @Override
  protected Answer success(String recipient, String body) {
    return new Answer(202, Map.of("X-Message-Id", "sg-" + UUID.randomUUID()), "");
  }

  /** 429 whose window resets {@code resetInSeconds} from now. */
  public static Answer rateLimited(long resetInSeconds) {
    return new Answer(
        429,
        Map.of(
            "X-RateLimit-Limit", "600",
            "X-RateLimit-Remaining", "0",
            "X-RateLimit-Reset",
                String.valueOf(System.currentTimeMillis() / 1000 + resetInSeconds)),
        "{\"errors\": [{\"field\": null, \"message\": \"too many requests\"}]}");
  }

  public static Answer serverError() {
    return new Answer(
        500, Map.of(), "{\"errors\": [{\"field\": null, \"message\": \"internal error\"}]}");
  }

  public static Answer badRequest(String message) {
    return new Answer(
        400,
        Map.of(),
        "{\"errors\": [{\"field\": \"personalizations\", \"message\": \"" + message + "\"}]}");
  }
}
