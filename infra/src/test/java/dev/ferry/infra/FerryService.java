package dev.ferry.infra;

import java.util.Set;

/**
 * The four deployable services, by module name. {@code mapProperties} names the properties that are
 * maps with free keys: the YAML shows their entries ({@code databases.main}) but cannot tell a map
 * from a nested record, and a deployment may add entries ({@code databases.second}).
 */
enum FerryService {
  SHORTENER("shortener-service", Set.of("ferry.shortener.sharding.databases")),
  KEYGEN("keygen-service", Set.of()),
  NOTIFICATION("notification-service", Set.of("ferry.notification.providers")),
  BROKER("broker-service", Set.of());

  private final String module;
  private final Set<String> mapProperties;

  FerryService(String module, Set<String> mapProperties) {
    this.module = module;
    this.mapProperties = mapProperties;
  }

  String module() {
    return module;
  }

  Set<String> mapProperties() {
    return mapProperties;
  }

  ServiceConfiguration configuration() {
    return ServiceConfiguration.load(this);
  }

  static FerryService ofModule(String module) {
    for (FerryService service : values()) {
      if (service.module.equals(module)) {
        return service;
      }
    }
    throw new IllegalArgumentException("Not a Ferry service: " + module);
  }

  static boolean isService(String name) {
    for (FerryService service : values()) {
      if (service.module.equals(name)) {
        return true;
      }
    }
    return false;
  }
}
