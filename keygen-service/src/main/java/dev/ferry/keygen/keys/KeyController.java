package dev.ferry.keygen.keys;

import dev.ferry.keygen.range.KeyspaceState;
import dev.ferry.keygen.range.SegmentedCounter;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/keys")
class KeyController {

  static final int MAX_COUNT = 10_000;

  private final KeyPool pool;
  private final SegmentedCounter counter;

  KeyController(KeyPool pool, SegmentedCounter counter) {
    this.pool = pool;
    this.counter = counter;
  }

  @PostMapping
  KeysResponse issue(@RequestParam @Min(1) @Max(MAX_COUNT) int count) {
    return new KeysResponse(pool.take(count));
  }

  @GetMapping("/stats")
  KeyStatsResponse stats() {
    KeyspaceState keyspace = counter.keyspace();
    return new KeyStatsResponse(
        pool.issued(),
        pool.level(),
        keyspace.rangesClaimed(),
        keyspace.nextCounter(),
        keyspace.keyspaceSize(),
        keyspace.usedFraction());
  }
}
