package dev.ferry.broker.protocol;

/**
 * The broker identity clients are told about in Metadata, FindCoordinator and DescribeCluster. The
 * port is set once the listener has bound, which matters when it was configured as 0.
 *
 * <p>Thread-safety: the port is volatile, written once by the server at start-up.
 */
public final class AdvertisedEndpoint {

  private final int nodeId;
  private final String host;
  private final String clusterId;
  private volatile int port;

  public AdvertisedEndpoint(int nodeId, String host, String clusterId) {
    this.nodeId = nodeId;
    this.host = host;
    this.clusterId = clusterId;
  }

  public int nodeId() {
    return nodeId;
  }

  public String host() {
    return host;
  }

  public String clusterId() {
    return clusterId;
  }

  public int port() {
    return port;
  }

  public void bound(int port) {
    this.port = port;
  }
}
