package dev.ferry.notification.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Twilio {@code POST /2010-04-01/Accounts/{sid}/Messages.json} with form fields To, From, Body: 201
 * with a message resource ({@code sid} SM..., {@code status} queued); errors in Twilio's JSON shape
 * ({@code code}, {@code message}, {@code more_info}, {@code status}).
 */
public final class FakeTwilio extends FakeProviderServer {

  private static final Pattern SEND =
      Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");

  @Override
  protected boolean isSendPath(String path) {
    return SEND.matcher(path).matches();
  }

  @Override
  protected String recipient(HttpExchange exchange, String body) {
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv.length == 2 && "To".equals(kv[0])) {
        return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  @Override
  protected Answer success(String recipient, String body) {
    // A message sid is "SM" and 32 hex digits.
    byte[] random = new byte[16];
    ThreadLocalRandom.current().nextBytes(random);
    String sid = "SM" + HexFormat.of().formatHex(random);
    return new Answer(
        201,
        Map.of(),
        """
        {"sid": "%s", "status": "queued", "to": "%s", "num_segments": "1",
         "account_sid": "ACtest", "api_version": "2010-04-01"}
        """
            .formatted(sid, recipient));
  }

  /** 400 / 21211: the To number is not a valid phone number. */
  public static Answer invalidNumber() {
    return error(400, 21211, "The 'To' number is not a valid phone number.");
  }

  /** 429 / 20429: too many requests. */
  public static Answer tooManyRequests() {
    return error(429, 20429, "Too Many Requests");
  }

  public static Answer serverError() {
    return error(500, 20500, "An internal server error has occurred");
  }

  private static Answer error(int status, int code, String message) {
    return new Answer(
        status,
        Map.of(),
        """
        {"code": %d, "message": "%s", "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}
        """
            .formatted(code, message, code, status));
  }
}
