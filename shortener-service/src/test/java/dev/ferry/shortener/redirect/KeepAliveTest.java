package dev.ferry.shortener.redirect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.shortener.support.ShortenerIntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Regression test of the intermittent "no answer within 30 s" of the WebFlux move: a keep-alive
 * request that reaches the server before it has finished the previous exchange is queued by Reactor
 * Netty; when the previous answer was completed off the event loop (an L1 miss is answered from
 * Lettuce's or the blocking scheduler's thread) and the queued one on it (an L1 hit), Reactor Netty
 * up to 1.3.7 drained its queue without asking the socket for more, so the next request on the
 * connection was never read (reactor-netty issue 4361). Writing two requests in one go makes the
 * race certain instead of occasional.
 */
class KeepAliveTest extends ShortenerIntegrationTest {

  private static final int READ_TIMEOUT_MILLIS = 10_000;

  @Test
  void aConnectionKeepsBeingReadAfterAQueuedRequestWasAnsweredOnTheEventLoop() throws IOException {
    String code = shortenUrl(null, "https://example.com/keep-alive");
    String get = "GET /" + code + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();

      // The first is an L1 miss, answered off the event loop; the second waits in Reactor Netty's
      // queue and is then answered from L1 on the event loop.
      out.write((get + get).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(List.of(statusOf(in), statusOf(in))).containsExactly(301, 301);

      out.write(get.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(statusOf(in)).as("the third request on the connection is answered").isEqualTo(301);
    }
  }

  /** Reads one bodiless response's head and returns its status. */
  private static int statusOf(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    List<Integer> last = new ArrayList<>();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after: " + head);
      }
      head.write(b);
      last.add(b);
      if (last.size() > 4) {
        last.remove(0);
      }
      if (last.equals(List.of(13, 10, 13, 10))) {
        break;
      }
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    assertThat(text.toLowerCase(Locale.ROOT)).contains("content-length: 0");
    return Integer.parseInt(text.substring(9, 12));
  }
}
