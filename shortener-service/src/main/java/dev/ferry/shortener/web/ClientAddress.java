package dev.ferry.shortener.web;

import java.net.InetSocketAddress;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** The address of the client that sent a request, for anonymous callers and click events. */
public final class ClientAddress {

  private ClientAddress() {}

  /**
   * The client's IP address as text ({@code 127.0.0.1}, {@code 0:0:0:0:0:0:0:1}), the form a
   * servlet container's {@code getRemoteAddr()} gives, so that anonymous callers keep the identity
   * (and rate-limit bucket) they had before the move to WebFlux; null if the transport knows none.
   */
  public static String of(ServerHttpRequest request) {
    return of(request.getRemoteAddress());
  }

  /** {@code address} as {@link #of(ServerHttpRequest)} gives it; null for a null address. */
  public static String of(InetSocketAddress address) {
    if (address == null) {
      return null;
    }
    return address.getAddress() == null
        ? address.getHostString()
        : address.getAddress().getHostAddress();
  }
}
