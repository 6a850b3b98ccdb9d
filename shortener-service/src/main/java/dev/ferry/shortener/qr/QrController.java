package dev.ferry.shortener.qr;

import dev.ferry.shortener.cache.LinkCache;
import dev.ferry.shortener.link.LinkNotFoundException;
import dev.ferry.shortener.link.LinkProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** {@code GET /{code}/qr}: a QR code of the short URL, as PNG or SVG. */
@RestController
class QrController {

  private final LinkCache links;
  private final LinkProperties properties;
  private final Scheduler blocking;
  private final QrCodes qrCodes = new QrCodes();

  QrController(LinkCache links, LinkProperties properties, Scheduler blockingScheduler) {
    this.links = links;
    this.properties = properties;
    this.blocking = blockingScheduler;
  }

  @GetMapping("/{code:[A-Za-z0-9_-]{1,32}}/qr")
  Mono<ResponseEntity<byte[]>> qr(
      @PathVariable String code,
      @RequestParam(defaultValue = "png")
          @Pattern(regexp = "png|svg", message = "must be png or svg") String format,
      @RequestParam(defaultValue = "256") @Min(64) @Max(2048) int size) {
    return links
        .find(code)
        .switchIfEmpty(Mono.error(() -> LinkNotFoundException.forCode(code)))
        // Rendering takes milliseconds of CPU: too long for an event loop.
        .publishOn(blocking)
        .map(
            target -> {
              String content = properties.shortUrl(code);
              boolean svg = format.equals("svg");
              return ResponseEntity.ok()
                  .contentType(svg ? MediaType.valueOf("image/svg+xml") : MediaType.IMAGE_PNG)
                  .cacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePublic())
                  .body(svg ? qrCodes.svg(content, size) : qrCodes.png(content, size));
            });
  }
}
