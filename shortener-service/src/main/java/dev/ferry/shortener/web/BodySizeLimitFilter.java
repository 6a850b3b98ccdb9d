package dev.ferry.shortener.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses oversized request bodies: with 413 at once when {@code Content-Length} says so, and by
 * failing the read (see {@link BodyTooLargeException}) when a body without a length runs over.
 * Either way nothing of the request is processed, and memory use per request stays bounded.
 *
 * <p>Thread-safe: the wrapper's counter belongs to one request.
 */
final class BodySizeLimitFilter extends OncePerRequestFilter {

  private final long maxBodyBytes;

  BodySizeLimitFilter(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Redirects and other bodiless requests skip the wrapper: the hot path allocates nothing here.
   */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String method = request.getMethod();
    return method.equals("GET") || method.equals("HEAD");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > maxBodyBytes) {
      response.setStatus(413);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setHeader("Connection", "close");
      response
          .getOutputStream()
          .write(
              ("{\"type\":\"https://ferry.dev/problems/body-too-large\",\"title\":\"Request body"
                      + " too large\",\"status\":413,\"detail\":\"the request body is larger than "
                      + maxBodyBytes
                      + " bytes\"}")
                  .getBytes(StandardCharsets.UTF_8));
      return;
    }
    chain.doFilter(new LimitedRequest(request, maxBodyBytes), response);
  }

  private static final class LimitedRequest extends HttpServletRequestWrapper {

    private final long maxBodyBytes;
    private ServletInputStream stream;

    LimitedRequest(HttpServletRequest request, long maxBodyBytes) {
      super(request);
      this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new LimitedStream(super.getInputStream(), maxBodyBytes);
      }
      return stream;
    }
  }

  private static final class LimitedStream extends ServletInputStream {

    private final ServletInputStream delegate;
    private final long maxBodyBytes;
    private long read;

    LimitedStream(ServletInputStream delegate, long maxBodyBytes) {
      this.delegate = delegate;
      this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public int read() throws IOException {
      int b = delegate.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = delegate.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws BodyTooLargeException {
      read += n;
      if (read > maxBodyBytes) {
        throw new BodyTooLargeException(maxBodyBytes);
      }
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      delegate.setReadListener(listener);
    }
  }
}
