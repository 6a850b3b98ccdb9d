package dev.ferry.notification.template;

import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/templates")
class TemplateController {

  private final TemplateService templates;

  TemplateController(TemplateService templates) {
    this.templates = templates;
  }

  @PostMapping
  ResponseEntity<TemplateResponse> create(@Valid @RequestBody TemplateRequest request) {
    TemplateResponse created = templates.create(request);
    return ResponseEntity.created(URI.create("/api/v1/templates/" + created.id())).body(created);
  }

  @GetMapping
  List<TemplateResponse> list(@RequestParam(required = false) String name) {
    return templates.list(name);
  }

  @GetMapping("/{id}")
  TemplateResponse get(@PathVariable UUID id) {
    return templates.get(id);
  }

  @PutMapping("/{id}")
  TemplateResponse replace(@PathVariable UUID id, @Valid @RequestBody TemplateRequest request) {
    return templates.replace(id, request);
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable UUID id) {
    templates.delete(id);
    return ResponseEntity.noContent().build();
  }
}
