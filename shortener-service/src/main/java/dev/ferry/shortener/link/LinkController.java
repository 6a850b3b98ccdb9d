package dev.ferry.shortener.link;

import dev.ferry.shortener.apikey.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
class LinkController {

  static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private final LinkService links;
  private final IdempotentShortener idempotent;
  private final BatchShortener batch;
  private final LinkProperties properties;
  private final CreationLimiter limiter;

  LinkController(
      LinkService links,
      IdempotentShortener idempotent,
      BatchShortener batch,
      LinkProperties properties,
      CreationLimiter limiter) {
    this.links = links;
    this.idempotent = idempotent;
    this.batch = batch;
    this.properties = properties;
    this.limiter = limiter;
  }

  /**
   * Creates a link. With an {@code Idempotency-Key}, a replay of the same request answers with the
   * link the first one made (and {@code Idempotent-Replayed: true}) instead of making another.
   */
  @PostMapping("/shorten")
  ResponseEntity<LinkResponse> shorten(
      @Valid @RequestBody ShortenRequest request,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
      Caller caller) {
    var headers = limiter.acquire(caller, 1);
    Link created;
    boolean replayed = false;
    if (idempotencyKey == null) {
      created = links.shorten(request.toCommand(), caller);
    } else {
      IdempotentShortener.Outcome outcome =
          idempotent.shorten(request, caller, new IdempotencyKey(idempotencyKey));
      created = outcome.link();
      replayed = outcome.replayed();
    }
    LinkResponse link = LinkResponse.of(created, properties);
    var response =
        ResponseEntity.created(URI.create("/api/v1/urls/" + link.shortCode())).headers(headers);
    if (replayed) {
      response.header(REPLAYED_HEADER, "true");
    }
    return response.body(link);
  }

  @PostMapping("/shorten/batch")
  ResponseEntity<BatchShortenResponse> shortenBatch(
      @Valid @RequestBody BatchShortenRequest request, Caller caller) {
    var headers = limiter.acquire(caller, request.links().size());
    return ResponseEntity.ok().headers(headers).body(batch.shorten(request.links(), caller));
  }

  @GetMapping("/urls/{code}")
  LinkResponse details(@PathVariable @Size(max = 32) String code, Caller caller) {
    return LinkResponse.of(links.details(code, caller), properties);
  }

  @PatchMapping("/urls/{code}")
  LinkResponse update(
      @PathVariable @Size(max = 32) String code,
      @Valid @RequestBody UpdateLinkRequest request,
      Caller caller) {
    return LinkResponse.of(links.update(code, request.toCommand(), caller), properties);
  }

  @DeleteMapping("/urls/{code}")
  ResponseEntity<Void> delete(@PathVariable @Size(max = 32) String code, Caller caller) {
    links.delete(code, caller);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/urls")
  LinkPageResponse list(
      @RequestParam(required = false) @Size(min = 1, max = 50) String tag,
      @RequestParam(defaultValue = "0") @Min(0) @Max(9_999) int page,
      @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size,
      Caller caller) {
    return LinkPageResponse.of(links.list(caller, tag, page, size), properties);
  }
}
