package dev.ferry.broker.protocol;

import org.apache.kafka.common.requests.RequestHeader;

/**
 * What a handler knows about a request besides its body.
 *
 * @param header the parsed request header (API, version, client id, correlation id)
 * @param clientHost the remote address of the connection
 */
public record RequestContext(RequestHeader header, String clientHost) {

  public short apiVersion() {
    return header.apiVersion();
  }

  public String clientId() {
    return header.clientId() == null ? "" : header.clientId();
  }
}
