package dev.ferry.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The route check in {@link KustomizeOverlayTest} is only as good as the roots found here. */
class ControllerRoutesTest {

  @Test
  void findsTheShortenersApiRootsBehindAClassLevelPrefix() {
    assertThat(ControllerRoutes.apiRoots(FerryService.SHORTENER))
        .contains("/api/v1/shorten", "/api/v1/urls", "/api/v1/analytics");
  }

  @Test
  void findsTheNotificationServicesApiRoots() {
    assertThat(ControllerRoutes.apiRoots(FerryService.NOTIFICATION))
        .contains(
            "/api/v1/notifications",
            "/api/v1/templates",
            "/api/v1/users",
            "/api/v1/topics",
            "/api/v1/webhooks",
            "/api/v1/dashboard",
            "/api/v1/dead-letters");
  }

  @Test
  void joinsTheClassPrefixWithEachMethodMapping() {
    String source =
        """
        @RestController
        @RequestMapping("/api/v1")
        class LinkController {
          @PostMapping("/shorten") void shorten() {}
          @GetMapping(path = "/urls/{code}") void get() {}
        }
        """;
    assertThat(ControllerRoutes.apiRootsIn(source))
        .containsExactly("/api/v1/shorten", "/api/v1/urls");
  }
}
