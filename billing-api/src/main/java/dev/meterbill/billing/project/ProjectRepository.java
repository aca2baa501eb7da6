package dev.meterbill.billing.project;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            statement.setObject(2, organisationId);
            statement.setString(3, name);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return map(rs);
            }
        }
    }

    public Optional<Project> find(Connection connection, UUID id) throws SQLException {
        String sql = "SELECT id, organisation_id, name, created_at FROM projects WHERE id = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /** The organisation's projects, oldest first. */
    public List<Project> listByOrganisation(Connection connection, UUID organisationId) throws SQLException {
        String sql = """
                SELECT id, organisation_id, name, created_at FROM projects
                 WHERE organisation_id = ? ORDER BY created_at, id
                """;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, organisationId);
            try (ResultSet rs = statement.executeQuery()) {
                List<Project> projects = new ArrayList<>();
                while (rs.next()) {
                    projects.add(map(rs));
                }
                return projects;
            }
        }
    }

    private static Project map(ResultSet rs) throws SQLException {
        return new Project(
                rs.getObject("id", UUID.class),
                rs.getObject("organisation_id", UUID.class),
                rs.getString("name"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
