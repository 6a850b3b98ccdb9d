package dev.ferry.infra;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The databases infra/postgres/init creates (CREATE DATABASE statements). */
final class PostgresInitScript {

  private static final Pattern CREATE_DATABASE =
      Pattern.compile("(?im)^\\s*CREATE\\s+DATABASE\\s+(\\w+)\\s*;");

  private PostgresInitScript() {}

  static List<String> databases() {
    return databasesIn(
        YamlFiles.read(RepositoryRoot.resolve("infra/postgres/init/01-databases.sql")));
  }

  static List<String> databasesIn(String sql) {
    Matcher matcher = CREATE_DATABASE.matcher(sql);
    List<String> names = new java.util.ArrayList<>();
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }
}
