package dev.ferry.shortener.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a server that a test can freeze: while frozen it keeps every connection
 * open but forwards no byte in either direction, as a server that hangs (stopped process, full
 * disk, network partition without resets) looks to its clients. Unfreezing forwards what was held.
 *
 * <p>Thread-safe: one acceptor thread, two pump threads per connection; {@link #freeze} and {@link
 * #thaw} only flip a volatile flag.
 */
public final class FreezableProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean frozen;

  private FreezableProxy(int targetPort) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    Thread acceptor = new Thread(this::accept, "proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy on a free loopback port forwarding to {@code targetPort} on loopback. */
  public static FreezableProxy to(int targetPort) {
    try {
      return new FreezableProxy(targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Holds every byte from now on, without closing any connection. */
  public void freeze() {
    frozen = true;
  }

  /** Forwards again, starting with what was held. */
  public void thaw() {
    frozen = false;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(target);
        pump(client, target);
        pump(target, client);
      } catch (IOException e) {
        // The server socket was closed: the proxy is shutting down.
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread pump =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                  while (frozen) {
                    Thread.sleep(10);
                  }
                  out.write(buffer, 0, read);
                  out.flush();
                }
              } catch (IOException e) {
                // One side closed; closing both streams ends the connection.
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "proxy-pump");
    pump.setDaemon(true);
    pump.start();
  }
}
