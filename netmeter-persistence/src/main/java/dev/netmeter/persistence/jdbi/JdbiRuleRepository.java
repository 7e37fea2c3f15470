package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.RuleId;
import dev.netmeter.domain.error.MeteringLabelNotFoundException;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.domain.query.RuleField;
import dev.netmeter.persistence.RuleRepository;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementException;

/** Rules in the {@code metering_label_rules} table. Bound to one transaction's handle; not thread-safe. */
final class JdbiRuleRepository implements RuleRepository {
    /** The columns of a rule, in the order {@link #MAPPER} reads them (by position: by name costs more). */
    static final String COLUMNS = "r.id, r.metering_label_id, r.direction, r.excluded, "
            + "r.remote_ip_prefix, r.source_ip_prefix, r.destination_ip_prefix";
    static final RowMapper<MeteringLabelRule> MAPPER = (rs, ctx) -> new MeteringLabelRule(
            new RuleId(UUID.fromString(rs.getString(1))),
            new LabelId(UUID.fromString(rs.getString(2))),
            Direction.fromWire(rs.getString(3)).orElseThrow(),
            rs.getBoolean(4),
            prefix(rs, 5, "remote_ip_prefix"),
            prefix(rs, 6, "source_ip_prefix"),
            prefix(rs, 7, "destination_ip_prefix"));
    // A rule's project is its label's: the caller's scope needs the join.
    private static final ListSql<RuleField> LIST = new ListSql<>(
            "metering_label_rules r JOIN metering_labels l ON l.id = r.metering_label_id", "l.project_id", Map.of(
                    RuleField.ID, "r.id",
                    RuleField.LABEL_ID, "r.metering_label_id",
                    RuleField.DIRECTION, "r.direction",
                    RuleField.EXCLUDED, "r.excluded",
                    RuleField.REMOTE_IP_PREFIX, "r.remote_ip_prefix",
                    RuleField.SOURCE_IP_PREFIX, "r.source_ip_prefix",
                    RuleField.DESTINATION_IP_PREFIX, "r.destination_ip_prefix"),
            // Prefixes sort by address, not by text (Neutron sorts netaddr objects): see Cidr.sortKey.
            Map.of(RuleField.REMOTE_IP_PREFIX, "r.remote_sort", RuleField.SOURCE_IP_PREFIX, "r.source_sort",
                    RuleField.DESTINATION_IP_PREFIX, "r.destination_sort"), RuleField.ID);

    private final Handle handle;

    JdbiRuleRepository(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insert(MeteringLabelRule rule) {
        Optional<Cidr> remote = rule.remoteIpPrefix();
        try {
            handle.createUpdate("""
                            INSERT INTO metering_label_rules (id, metering_label_id, direction, excluded,
                                remote_ip_prefix, source_ip_prefix, destination_ip_prefix,
                                remote_ip_version, remote_first, remote_last, remote_sort, source_sort,
                                destination_sort)
                            VALUES (:id, :label, :direction, :excluded, :remote, :source, :destination,
                                :version, :first, :last, :remoteSort, :sourceSort, :destinationSort)""")
                    .bind("id", rule.id().toString())
                    .bind("label", rule.labelId().toString())
                    .bind("direction", rule.direction().wireName())
                    .bind("excluded", rule.excluded())
                    .bind("remote", remote.map(Cidr::text).orElse(null))
                    .bind("source", rule.sourceIpPrefix().map(Cidr::text).orElse(null))
                    .bind("destination", rule.destinationIpPrefix().map(Cidr::text).orElse(null))
                    .bind("version", remote.map(cidr -> (Integer) cidr.version().number()).orElse(null))
                    .bind("first", remote.map(cidr -> hex(cidr.first())).orElse(null))
                    .bind("last", remote.map(cidr -> hex(cidr.last())).orElse(null))
                    .bind("remoteSort", remote.map(Cidr::sortKey).orElse(null))
                    .bind("sourceSort", rule.sourceIpPrefix().map(Cidr::sortKey).orElse(null))
                    .bind("destinationSort", rule.destinationIpPrefix().map(Cidr::sortKey).orElse(null))
                    .execute();
        } catch (StatementException e) {
            if (SqlFailure.isMissingParent(e)) {     // Neutron maps DBReferenceError the same way
                throw new MeteringLabelNotFoundException(rule.labelId().toString());
            }
            throw e;
        }
    }

    @Override
    public Optional<MeteringLabelRule> find(RuleId id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM metering_label_rules r WHERE r.id = :id")
                .bind("id", id.toString())
                .map(MAPPER)
                .findOne();
    }

    /**
     * Stored blocks of one (label, direction, excluded, version) are disjoint, so the only candidate is
     * the block that starts last at or before the new block's end: one index probe, whatever the count.
     */
    @Override
    public Optional<RuleId> findOverlapping(LabelId label, Direction direction, boolean excluded, Cidr remote) {
        return handle.createQuery("""
                        SELECT id, remote_last FROM metering_label_rules
                        WHERE metering_label_id = :label AND direction = :direction AND excluded = :excluded
                          AND remote_ip_version = :version AND remote_first <= :last
                        ORDER BY metering_label_id DESC, direction DESC, excluded DESC, remote_ip_version DESC,
                                 remote_first DESC
                        LIMIT 1""")
                .bind("label", label.toString())
                .bind("direction", direction.wireName())
                .bind("excluded", excluded)
                .bind("version", remote.version().number())
                .bind("last", hex(remote.last()))
                .map((rs, ctx) -> rs.getString("remote_last").compareTo(hex(remote.first())) >= 0
                        ? Optional.of(new RuleId(UUID.fromString(rs.getString("id"))))
                        : Optional.<RuleId>empty())
                .findOne()
                .flatMap(candidate -> candidate);
    }

    @Override
    public boolean delete(RuleId id) {
        return handle.createUpdate("DELETE FROM metering_label_rules WHERE id = :id")
                .bind("id", id.toString()).execute() > 0;
    }

    @Override
    public List<MeteringLabelRule> list(ListQuery<RuleField> query) {
        return LIST.list(handle, query, COLUMNS, MAPPER);
    }

    /** Fixed-width hex, so that text order is numeric order for both IP versions. */
    private static String hex(BigInteger address) {
        String digits = address.toString(16);
        return "0".repeat(32 - digits.length()) + digits;
    }

    private static Optional<Cidr> prefix(ResultSet rs, int position, String column) throws SQLException {
        String text = rs.getString(position);
        return text == null ? Optional.empty() : Optional.of(Cidr.parse(column, text));
    }
}
