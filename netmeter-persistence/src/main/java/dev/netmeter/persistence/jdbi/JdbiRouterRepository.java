package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.Router;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.RouterStatus;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.domain.query.RouterField;
import dev.netmeter.persistence.RouterRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

/** Routers in the {@code metering_routers} table. Bound to one transaction's handle; not thread-safe. */
final class JdbiRouterRepository implements RouterRepository {
    private static final String INSERT = """
            INSERT INTO metering_routers (id, project_id, name, description, admin_state_up, status, host,
                distributed, namespace, external_interface)
            VALUES (:id, :project, :name, :description, :adminStateUp, :status, :host, :distributed,
                :namespace, :externalInterface)""";

    static final String COLUMNS = "t.id, t.project_id, t.name, t.description, t.admin_state_up, t.status, t.host, "
            + "t.distributed, t.namespace, t.external_interface";
    static final RowMapper<Router> MAPPER = (rs, ctx) -> new Router(
            new RouterId(UUID.fromString(rs.getString("id"))),
            new ProjectId(rs.getString("project_id")),
            rs.getString("name"),
            rs.getString("description"),
            rs.getBoolean("admin_state_up"),
            RouterStatus.valueOf(rs.getString("status")),
            rs.getString("host"),
            rs.getBoolean("distributed"),
            rs.getString("namespace"),
            rs.getString("external_interface"));
    private static final ListSql<RouterField> LIST = new ListSql<>("metering_routers t", "t.project_id", Map.of(
            RouterField.ID, "t.id",
            RouterField.PROJECT_ID, "t.project_id",
            RouterField.NAME, "t.name",
            RouterField.DESCRIPTION, "t.description",
            RouterField.ADMIN_STATE_UP, "t.admin_state_up",
            RouterField.STATUS, "t.status",
            RouterField.HOST, "t.host",
            RouterField.DISTRIBUTED, "t.distributed",
            RouterField.NAMESPACE, "t.namespace",
            RouterField.EXTERNAL_INTERFACE, "t.external_interface"), Map.of(), RouterField.ID);

    private final Handle handle;

    JdbiRouterRepository(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insert(Router router) {
        bindAttributes(handle.createUpdate(INSERT), router).bind("project", router.projectId().value()).execute();
    }

    @Override
    public void insertAll(List<Router> routers) {
        if (routers.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch(INSERT);
        routers.forEach(router -> bindAttributes(batch, router).bind("project", router.projectId().value()).add());
        batch.execute();
    }

    @Override
    public Optional<Router> find(RouterId id) {
        return select(id, "");
    }

    @Override
    public Optional<Router> lock(RouterId id) {
        return select(id, " FOR UPDATE");
    }

    private Optional<Router> select(RouterId id, String suffix) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM metering_routers t WHERE t.id = :id" + suffix)
                .bind("id", id.toString())
                .map(MAPPER)
                .findOne();
    }

    @Override
    public void update(Router router) {
        bindAttributes(handle.createUpdate("""
                UPDATE metering_routers SET name = :name, description = :description,
                    admin_state_up = :adminStateUp, status = :status, host = :host, distributed = :distributed,
                    namespace = :namespace, external_interface = :externalInterface
                WHERE id = :id"""), router)
                .execute();
    }

    private static <T extends SqlStatement<T>> T bindAttributes(T statement, Router router) {
        return statement.bind("id", router.id().toString())
                .bind("name", router.name())
                .bind("description", router.description())
                .bind("adminStateUp", router.adminStateUp())
                .bind("status", router.status().name())
                .bind("host", router.host())
                .bind("distributed", router.distributed())
                .bind("namespace", router.namespace())
                .bind("externalInterface", router.externalInterface());
    }

    @Override
    public boolean delete(RouterId id) {
        return handle.createUpdate("DELETE FROM metering_routers WHERE id = :id").bind("id", id.toString())
                .execute() > 0;
    }

    @Override
    public List<Router> list(ListQuery<RouterField> query) {
        return LIST.list(handle, query, COLUMNS, MAPPER);
    }
}
