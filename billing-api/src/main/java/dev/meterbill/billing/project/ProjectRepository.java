package dev.meterbill.billing.project;

import dev.meterbill.billing.db.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for projects. */
public final class ProjectRepository {

    /** Name of the schema's UNIQUE (organisation_id, name) constraint, as PostgreSQL derives it. */
    static final String UNIQUE_NAME_CONSTRAINT = "projects_organisation_id_name_key";

    public Project insert(Connection connection, UUID id, UUID organisationId, String name) throws SQLException {
        String sql = """
                INSERT INTO projects (id, organisation_id, name) VALUES (?, ?, ?)
                RETURNING id, organisation_id, name, created_at
                """;
        return Sql.single(connection, sql, ProjectRepository::map, id, organisationId, name);
    }

    public Optional<Project> find(Connection connection, UUID id) throws SQLException {
        String sql = "SELECT id, organisation_id, name, created_at FROM projects WHERE id = ?";
        return Sql.one(connection, sql, ProjectRepository::map, id);
    }

    /** The organisation's projects, oldest first. */
    public List<Project> listByOrganisation(Connection connection, UUID organisationId) throws SQLException {
        String sql = """
                SELECT id, organisation_id, name, created_at FROM projects
                 WHERE organisation_id = ? ORDER BY created_at, id
                """;
        return Sql.list(connection, sql, ProjectRepository::map, organisationId);
    }

    private static Project map(ResultSet rs) throws SQLException {
        return new Project(
                rs.getObject("id", UUID.class),
                rs.getObject("organisation_id", UUID.class),
                rs.getString("name"),
                Sql.instant(rs, "created_at"));
    }
}
