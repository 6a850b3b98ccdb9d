package dev.ferry.notification.template;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Templates in Postgres, unique per name and channel. */
@Repository
class TemplateRepository {

  private static final String COLUMNS =
      "id, name, channel, subject, title, body, variables, created_at, updated_at";

  private final JdbcClient jdbc;

  TemplateRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts {@code template}; false if one of that name and channel exists. */
  boolean insert(TemplateResponse template) {
    return jdbc.sql(
                """
                INSERT INTO templates (id, name, channel, subject, title, body, variables,
                                       created_at, updated_at)
                VALUES (:id, :name, :channel, :subject, :title, :body, :variables,
                        :createdAt, :updatedAt)
                ON CONFLICT (name, channel) DO NOTHING
                """)
            .paramSource(params(template))
            .update()
        == 1;
  }

  boolean update(TemplateResponse template) {
    return jdbc.sql(
                """
                UPDATE templates SET name = :name, channel = :channel, subject = :subject,
                       title = :title, body = :body, variables = :variables,
                       updated_at = :updatedAt
                 WHERE id = :id
                """)
            .paramSource(params(template))
            .update()
        == 1;
  }

  boolean delete(UUID id) {
    return jdbc.sql("DELETE FROM templates WHERE id = ?").param(id).update() == 1;
  }

  Optional<TemplateResponse> find(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM templates WHERE id = ?")
        .param(id)
        .query(TemplateRepository::map)
        .optional();
  }

  Optional<TemplateResponse> find(String name, String channel) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM templates WHERE name = ? AND channel = ?")
        .params(name, channel)
        .query(TemplateRepository::map)
        .optional();
  }

  List<TemplateResponse> list(String name) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM templates WHERE (CAST(:name AS VARCHAR) IS NULL OR name = :name) ORDER BY name, channel")
        .param("name", name)
        .query(TemplateRepository::map)
        .list();
  }

  private static MapSqlParameterSource params(TemplateResponse t) {
    return new MapSqlParameterSource()
        .addValue("id", t.id())
        .addValue("name", t.name())
        .addValue("channel", t.channel())
        .addValue("subject", t.subject())
        .addValue("title", t.title())
        .addValue("body", t.body())
        .addValue("variables", t.variables().toArray(String[]::new))
        .addValue("createdAt", OffsetDateTime.ofInstant(t.createdAt(), ZoneOffset.UTC))
        .addValue("updatedAt", OffsetDateTime.ofInstant(t.updatedAt(), ZoneOffset.UTC));
  }

  private static TemplateResponse map(ResultSet rs, int row) throws SQLException {
    Array variables = rs.getArray("variables");
    return new TemplateResponse(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getString("channel"),
        rs.getString("subject"),
        rs.getString("title"),
        rs.getString("body"),
        Arrays.asList((String[]) variables.getArray()),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
