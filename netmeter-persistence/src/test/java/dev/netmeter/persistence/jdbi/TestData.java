package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.NewLabel;
import dev.netmeter.domain.NewRouter;
import dev.netmeter.domain.NewRule;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.Router;
import dev.netmeter.persistence.Transactor;
import dev.netmeter.service.ChangeSignal;
import dev.netmeter.service.MeteringLabelService;
import dev.netmeter.service.MeteringRuleService;
import dev.netmeter.service.Policy;
import dev.netmeter.service.RequestContext;
import dev.netmeter.service.RouterService;
import dev.netmeter.service.TimeOrderedIds;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builders for tests: labels and rules created through the real services, as the {@link #ADMIN} caller,
 * with Neutron's default policy. Thread-safe.
 *
 * <pre>{@code
 * LabelId label = data.label("p1");
 * data.rule(TestData.remote(label, Direction.INGRESS, "10.0.0.0/24"));
 * }</pre>
 */
public final class TestData {
    /** A caller with the admin role, of project {@code admin-project}. */
    public static final RequestContext ADMIN =
            new RequestContext(new ProjectId("admin-project"), "admin-user", Set.of(RequestContext.ADMIN_ROLE));

    private final MeteringLabelService labels;
    private final MeteringRuleService rules;
    private final RouterService routers;
    private final AtomicInteger names = new AtomicInteger();

    /** Services over {@code tx}, with time-ordered ids (so creation order is id order). */
    public TestData(Transactor tx) {
        var ids = new TimeOrderedIds(Clock.systemUTC());
        this.labels = new MeteringLabelService(tx, Policy.defaults(), ids, ChangeSignal.NONE);
        this.rules = new MeteringRuleService(tx, Policy.defaults(), ids, ChangeSignal.NONE);
        this.routers = new RouterService(tx, Policy.defaults(), ids, ChangeSignal.NONE);
    }

    /** A caller of {@code project} without the admin role. */
    public static RequestContext member(String project) {
        return new RequestContext(new ProjectId(project), "user-of-" + project, Set.of("member"));
    }

    /** The label service these builders use. */
    public MeteringLabelService labels() {
        return labels;
    }

    /** The rule service these builders use. */
    public MeteringRuleService rules() {
        return rules;
    }

    /** The router service these builders use. */
    public RouterService routers() {
        return routers;
    }

    /** Creates a router of {@code project} on {@code host}, administratively up, with interface {@code qg-test}. */
    public Router router(String project, String host) {
        return router(project, host, true);
    }

    /** Creates a router of {@code project} on {@code host}. */
    public Router router(String project, String host, boolean adminStateUp) {
        return routers.create(ADMIN, List.of(new NewRouter(new ProjectId(project), "router-" + names.incrementAndGet(),
                "", adminStateUp, host, false, Optional.empty(), "qg-test"))).getFirst();
    }

    /** Creates a label of {@code project}, named {@code label-<n>}, not shared. */
    public LabelId label(String project) {
        return label(project, "label-" + names.incrementAndGet(), false).id();
    }

    /** Creates a label. */
    public MeteringLabel label(String project, String name, boolean shared) {
        return labels.create(ADMIN, List.of(new NewLabel(new ProjectId(project), name, "", shared))).getFirst();
    }

    /** Creates a rule. */
    public MeteringLabelRule rule(NewRule rule) {
        return rules.create(ADMIN, List.of(rule)).getFirst();
    }

    /** A counted (not excluded) rule on {@code remotePrefix}. */
    public static NewRule remote(LabelId label, Direction direction, String remotePrefix) {
        return remote(label, direction, false, remotePrefix);
    }

    /** A rule on {@code remotePrefix}. */
    public static NewRule remote(LabelId label, Direction direction, boolean excluded, String remotePrefix) {
        return new NewRule(label, direction, excluded, prefix("remote_ip_prefix", remotePrefix),
                Optional.empty(), Optional.empty());
    }

    /** A counted rule on source and destination prefixes, either of which may be null (absent). */
    public static NewRule sourceAndDestination(LabelId label, Direction direction, String source,
                                               String destination) {
        return new NewRule(label, direction, false, Optional.empty(),
                prefix("source_ip_prefix", source), prefix("destination_ip_prefix", destination));
    }

    private static Optional<Cidr> prefix(String field, String text) {
        return Optional.ofNullable(text).map(value -> Cidr.parse(field, value));
    }
}
