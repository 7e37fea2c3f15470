package dev.netmeter.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.LinuxNames;
import dev.netmeter.domain.NewRouter;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.Router;
import dev.netmeter.domain.RouterUpdate;
import dev.netmeter.domain.query.RouterField;
import dev.netmeter.service.RequestContext;
import dev.netmeter.service.RouterService;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import java.util.function.Function;

/** {@code /v2.0/metering/routers}: parse, call the service, render. Thread-safe. */
final class RouterHandlers {
    static final ResourceSchema<RouterField, Router> SCHEMA = new ResourceSchema<>(
            "router", "routers", "/v2.0/metering/routers",
            Map.ofEntries(Map.entry("id", RouterField.ID), Map.entry("name", RouterField.NAME),
                    Map.entry("description", RouterField.DESCRIPTION),
                    Map.entry("project_id", RouterField.PROJECT_ID), Map.entry("tenant_id", RouterField.PROJECT_ID),
                    Map.entry("admin_state_up", RouterField.ADMIN_STATE_UP), Map.entry("status", RouterField.STATUS),
                    Map.entry("host", RouterField.HOST), Map.entry("distributed", RouterField.DISTRIBUTED),
                    Map.entry("namespace", RouterField.NAMESPACE),
                    Map.entry("external_interface", RouterField.EXTERNAL_INTERFACE)),
            Set.of("admin_state_up", "distributed"),
            attributes());
    private static final Set<String> MUTABLE = Set.of("name", "description", "admin_state_up", "host", "distributed",
            "namespace", "external_interface");
    private static final Set<String> POST_ATTRIBUTES = Set.of("name", "description", "admin_state_up", "host",
            "distributed", "namespace", "external_interface", "project_id", "tenant_id");
    private static final Set<String> READ_ONLY = Set.of("id", "project_id", "tenant_id", "status");
    private static final List<String> BOOLEANS = List.of("admin_state_up", "distributed");

    private final RouterService routers;
    private final Requests requests;

    RouterHandlers(RouterService routers, Requests requests) {
        this.routers = routers;
        this.requests = requests;
    }

    void create(Context ctx) {
        RequestContext caller = requests.caller(ctx);
        ResourceBody body = ResourceBody.forCreate(requests.body(ctx), SCHEMA.singular(), SCHEMA.plural());
        List<NewRouter> toCreate = body.items().stream().map(item -> newRouter(item, caller)).toList();
        Responses.created(ctx, SCHEMA, routers.create(caller, toCreate), body.bulk());
    }

    void show(Context ctx) {
        Router router = routers.get(requests.caller(ctx), ctx.pathParam("id"));
        Responses.one(ctx, 200, SCHEMA, router, requests.fields(ctx, SCHEMA));
    }

    void list(Context ctx) {
        ListRequest<RouterField> request = requests.list(ctx, SCHEMA);
        List<Router> found = routers.list(requests.caller(ctx), request.query());
        Responses.list(ctx, requests.baseUrl(ctx), SCHEMA, request, found, router -> router.id().toString());
    }

    void update(Context ctx) {
        RequestContext caller = requests.caller(ctx);
        ObjectNode item = ResourceBody.forUpdate(requests.body(ctx), SCHEMA.singular());
        Attributes attributes = Attributes.forPut(item, MUTABLE, READ_ONLY);
        RouterUpdate update = new RouterUpdate(
                attributes.presentString("name", Router.MAX_NAME_LENGTH),
                attributes.presentString("description", Router.MAX_DESCRIPTION_LENGTH),
                attributes.optionalBool("admin_state_up"),
                attributes.linuxName("host", LinuxNames::hostNameProblem),
                attributes.optionalBool("distributed"),
                attributes.linuxName("namespace", LinuxNames::namespaceNameProblem),
                attributes.linuxName("external_interface", LinuxNames::interfaceNameProblem));
        Responses.one(ctx, 200, SCHEMA, routers.update(caller, ctx.pathParam("id"), update), List.of());
    }

    void delete(Context ctx) {
        routers.delete(requests.caller(ctx), ctx.pathParam("id"));
        Responses.noContent(ctx);
    }

    private static NewRouter newRouter(ObjectNode item, RequestContext caller) {
        Attributes attributes = Attributes.forPost(item, POST_ATTRIBUTES, Set.of("id", "status"),
                List.of("host", "external_interface"), BOOLEANS);
        String project = attributes.project(caller.projectId());
        return new NewRouter(new ProjectId(project),
                attributes.string("name", Router.MAX_NAME_LENGTH, ""),
                attributes.string("description", Router.MAX_DESCRIPTION_LENGTH, ""),
                attributes.bool("admin_state_up", true),
                attributes.linuxName("host", LinuxNames::hostNameProblem).orElseThrow(),
                attributes.bool("distributed", false),
                attributes.linuxName("namespace", LinuxNames::namespaceNameProblem),
                attributes.linuxName("external_interface", LinuxNames::interfaceNameProblem).orElseThrow());
    }

    private static SequencedMap<String, Function<Router, Object>> attributes() {
        SequencedMap<String, Function<Router, Object>> attributes = new LinkedHashMap<>();
        attributes.put("id", router -> router.id().toString());
        attributes.put("name", Router::name);
        attributes.put("description", Router::description);
        attributes.put("project_id", router -> router.projectId().value());
        attributes.put("tenant_id", router -> router.projectId().value());
        attributes.put("admin_state_up", Router::adminStateUp);
        attributes.put("status", router -> router.status().name());
        attributes.put("host", Router::host);
        attributes.put("distributed", Router::distributed);
        attributes.put("namespace", Router::namespace);
        attributes.put("external_interface", Router::externalInterface);
        return attributes;
    }
}
