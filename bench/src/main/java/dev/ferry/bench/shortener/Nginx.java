package dev.ferry.bench.shortener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * nginx answering every request with {@code return 301} from its config: no lookup, no logging, the
 * least any HTTP server can do for a redirect, and so the machine's reference.
 */
final class Nginx {

  private Nginx() {}

  /** Starts nginx in the foreground on {@code port} with its files under {@code work}. */
  static Process start(Path work, int port) throws IOException {
    Path home = Files.createDirectories(work.resolve("nginx"));
    Files.createDirectories(home.resolve("logs"));
    Path config = home.resolve("nginx.conf");
    Files.writeString(
        config,
        """
        worker_processes auto;
        daemon off;
        pid %1$s/nginx.pid;
        error_log %1$s/logs/error.log warn;
        events { worker_connections 1024; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          server {
            listen 127.0.0.1:%2$d;
            location / { return 301 https://example.com/; }
          }
        }
        """
            .formatted(home, port));
    return new ProcessBuilder("nginx", "-p", home.toString(), "-c", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("logs/stdout.log").toFile())
        .start();
  }
}
