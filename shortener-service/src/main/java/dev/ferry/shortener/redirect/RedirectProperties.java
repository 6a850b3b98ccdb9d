package dev.ferry.shortener.redirect;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How redirects are answered.
 *
 * @param cacheControl {@code Cache-Control} of redirects of links without expiry or visit limit.
 *     The default lets browsers reuse a redirect for 90 seconds but not shared caches, so that
 *     clicks keep reaching analytics and a changed destination takes effect soon. Links with an
 *     expiry or a visit limit always get {@code no-store}: a cached redirect would outlive the
 *     expiry or skip the visit count.
 */
@Validated
@ConfigurationProperties("ferry.shortener.redirect")
public record RedirectProperties(
    @NotBlank @DefaultValue("private, max-age=90") String cacheControl) {}
