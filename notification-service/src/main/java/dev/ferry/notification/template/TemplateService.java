package dev.ferry.notification.template;

import dev.ferry.notification.Channel;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Template management and rendering: the facade other features use to turn a template name, a
 * channel and the request's data into message text. Thread-safe (stateless over the repository).
 */
@Service
public class TemplateService {

  private final TemplateRepository repository;
  private final TemplateRenderer renderer = new TemplateRenderer();
  private final Clock clock;

  TemplateService(TemplateRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  /**
   * Renders the template {@code name} for {@code channel} with {@code data}.
   *
   * @throws TemplateNotFoundException if there is no such template
   * @throws TemplateRenderException if a declared or referenced variable is missing from data
   */
  public RenderedContent render(String name, Channel channel, Map<String, Object> data) {
    TemplateResponse template =
        repository
            .find(name, channel.wire())
            .orElseThrow(() -> TemplateNotFoundException.of(name, channel.wire()));
    List<String> missing =
        template.variables().stream().filter(variable -> !data.containsKey(variable)).toList();
    if (!missing.isEmpty()) {
      throw TemplateRenderException.missingVariables(name, missing);
    }
    boolean html = channel == Channel.EMAIL;
    return new RenderedContent(
        renderer.render(name, template.subject(), data, false),
        renderer.render(name, template.title(), data, false),
        renderer.render(name, template.body(), data, html));
  }

  TemplateResponse create(TemplateRequest request) {
    check(request);
    Instant now = clock.instant();
    TemplateResponse template = toTemplate(UUID.randomUUID(), request, now, now);
    if (!repository.insert(template)) {
      throw InvalidTemplateException.duplicate(request.name(), request.channel());
    }
    return template;
  }

  TemplateResponse replace(UUID id, TemplateRequest request) {
    check(request);
    TemplateResponse existing =
        repository.find(id).orElseThrow(() -> TemplateNotFoundException.withId(id));
    TemplateResponse updated = toTemplate(id, request, existing.createdAt(), clock.instant());
    try {
      repository.update(updated);
    } catch (org.springframework.dao.DuplicateKeyException e) {
      throw InvalidTemplateException.duplicate(request.name(), request.channel());
    }
    return updated;
  }

  TemplateResponse get(UUID id) {
    return repository.find(id).orElseThrow(() -> TemplateNotFoundException.withId(id));
  }

  List<TemplateResponse> list(String name) {
    return repository.list(name);
  }

  void delete(UUID id) {
    if (!repository.delete(id)) {
      throw TemplateNotFoundException.withId(id);
    }
  }

  private void check(TemplateRequest request) {
    renderer.check("subject", request.subject());
    renderer.check("title", request.title());
    renderer.check("body", request.body());
  }

  private static TemplateResponse toTemplate(
      UUID id, TemplateRequest request, Instant createdAt, Instant updatedAt) {
    return new TemplateResponse(
        id,
        request.name(),
        request.channel(),
        request.subject(),
        request.title(),
        request.body(),
        request.variables() == null ? List.of() : List.copyOf(request.variables()),
        createdAt,
        updatedAt);
  }
}
