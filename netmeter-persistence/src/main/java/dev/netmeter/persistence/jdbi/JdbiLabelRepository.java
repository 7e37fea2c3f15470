package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.query.LabelField;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.persistence.LabelRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** Labels in the {@code metering_labels} table. Bound to one transaction's handle; not thread-safe. */
final class JdbiLabelRepository implements LabelRepository {
    static final String COLUMNS = "l.id, l.project_id, l.name, l.description, l.shared";
    static final RowMapper<MeteringLabel> MAPPER = (rs, ctx) -> new MeteringLabel(
            new LabelId(UUID.fromString(rs.getString("id"))),
            new ProjectId(rs.getString("project_id")),
            rs.getString("name"),
            rs.getString("description"),
            rs.getBoolean("shared"));
    private static final ListSql<LabelField> LIST = new ListSql<>("metering_labels l", "l.project_id", Map.of(
            LabelField.ID, "l.id",
            LabelField.PROJECT_ID, "l.project_id",
            LabelField.NAME, "l.name",
            LabelField.DESCRIPTION, "l.description",
            LabelField.SHARED, "l.shared"), Map.of(), LabelField.ID);

    private final Handle handle;

    JdbiLabelRepository(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insert(MeteringLabel label) {
        handle.createUpdate("""
                        INSERT INTO metering_labels (id, project_id, name, description, shared)
                        VALUES (:id, :project, :name, :description, :shared)""")
                .bind("id", label.id().toString())
                .bind("project", label.projectId().value())
                .bind("name", label.name())
                .bind("description", label.description())
                .bind("shared", label.shared())
                .execute();
    }

    @Override
    public Optional<MeteringLabel> find(LabelId id) {
        return select(id, "");
    }

    @Override
    public Optional<MeteringLabel> lock(LabelId id) {
        return select(id, " FOR UPDATE");
    }

    private Optional<MeteringLabel> select(LabelId id, String suffix) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM metering_labels l WHERE l.id = :id" + suffix)
                .bind("id", id.toString())
                .map(MAPPER)
                .findOne();
    }

    @Override
    public boolean delete(LabelId id) {
        return handle.createUpdate("DELETE FROM metering_labels WHERE id = :id").bind("id", id.toString())
                .execute() > 0;
    }

    @Override
    public List<MeteringLabel> list(ListQuery<LabelField> query) {
        return LIST.list(handle, query, COLUMNS, MAPPER);
    }
}
