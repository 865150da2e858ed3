package org.camaudit.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.camaudit.model.Finding;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.server.db.Views.EnrolledAgent;
import org.camaudit.server.db.Views.FindingFilter;
import org.camaudit.server.db.Views.Ingest;
import org.camaudit.server.db.Views.SiteEnrolment;
import org.camaudit.server.db.Views.SiteFinding;
import org.camaudit.server.wire.Batch;
import org.camaudit.server.wire.BatchJson;
import org.camaudit.server.wire.ScanHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class CentralStoreTest {
    private static CentralStore store;
    private static LocalPostgres pg;

    @BeforeAll
    static void open(LocalPostgres cluster) {
        pg = cluster;
        store = CentralStore.open(cluster.settings());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void migratesOnOpenAndAgainIsANoOp() throws Exception {
        int newest;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(CentralStore.class
                .getResource("/db/server").toURI()))) {
            newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches(
                    "V\\d+__.*\\.sql")).mapToInt(n -> Integer.parseInt(
                            n.substring(1, n.indexOf(
                                    "__"))))
                    .max().orElseThrow();
        }
        assertThat(newest).isGreaterThanOrEqualTo(3);
        assertThat(store.schemaVersion()).isEqualTo(newest);
        try (CentralStore again = CentralStore.open(pg.settings())) {
            assertThat(again.schemaVersion()).isEqualTo(newest);
        }
    }

    @Test
    void anEnrolmentTokenIsTradedOnceForACredential() {
        SiteEnrolment site = store.addSite("enrol-once", "user:admin", "test");
        assertThat(site.enrolmentToken()).startsWith(Secrets.ENROLMENT_TOKEN);
        Optional<EnrolledAgent> agent = store.enrol(site.enrolmentToken(), "agent-1", "test");
        assertThat(agent).isPresent();
        assertThat(agent.get().site()).isEqualTo("enrol-once");
        assertThat(store.principal(agent.get().credential())).hasValueSatisfying(p -> {
            assertThat(p.kind()).isEqualTo(Principal.Kind.AGENT);
            assertThat(p.siteId()).contains(site.site().id());
        });
        assertThat(store.enrol(site.enrolmentToken(), "agent-2", "test")).isEmpty();
        assertThat(store.enrol("cae_unknown", "agent-3", "test")).isEmpty();
        assertThat(store.column("SELECT count(*) FROM agent WHERE site_id = " + site.site().id()))
                .containsExactly("1");
    }

    @Test
    void anExpiredEnrolmentTokenIsRefused() throws SQLException {
        SiteEnrolment site = store.addSite("enrol-expired", "user:admin", "test");
        execute("UPDATE enrolment_token SET expires = now() - interval '1 minute' WHERE site_id = "
                + site.site().id());
        assertThat(store.enrol(site.enrolmentToken(), "late", "test")).isEmpty();
    }

    @Test
    void tokensAreStoredOnlyAsHashes() {
        String token = store.addUser("hash-check", Role.VIEWER, "user:admin", "test");
        assertThat(store.principal(token)).hasValueSatisfying(p -> assertThat(p.role()).contains(
                Role.VIEWER));
        assertThat(store.column("SELECT count(*) FROM api_token WHERE position(convert_to('"
                + token + "', 'UTF8') IN token_hash) > 0")).containsExactly("0");
        assertThat(store.principal(token + "x")).isEmpty();
    }

    @Test
    void aResentBatchIsStoredOnceAndOtherContentUnderItsKeyIsRejected() {
        EnrolledAgent agent = enrolled("idempotent");
        Principal who = store.principal(agent.credential()).orElseThrow();
        ScanHeader h = SampleScans.header(1);
        Batch first = SampleScans.observations(h, 0, SampleScans.observation("127.0.0.2",
                "App-webs/"), SampleScans.observation("127.0.0.3", "AXIS"));
        byte[] body = BatchJson.write(first);
        assertThat(store.ingest(who, BatchJson.read(body), Secrets.sha256(body), "test"))
                .isEqualTo(Ingest.STORED);
        assertThat(store.ingest(who, BatchJson.read(body), Secrets.sha256(body), "test"))
                .isEqualTo(Ingest.DUPLICATE);
        assertThat(store.countObservations(agent.siteId())).isEqualTo(2);

        Batch other = SampleScans.observations(h, 0, SampleScans.observation("127.0.0.4",
                "Boa/0.94"));
        byte[] otherBody = BatchJson.write(other);
        assertThatThrownBy(() -> store.ingest(who, other, Secrets.sha256(otherBody), "test"))
                .isInstanceOf(BatchRejectedException.class).hasMessageContaining("other content");
        assertThat(store.countObservations(agent.siteId())).isEqualTo(2);
    }

    @Test
    void theLastBatchBeforeEarlierOnesIsRejected() {
        EnrolledAgent agent = enrolled("out-of-order");
        Principal who = store.principal(agent.credential()).orElseThrow();
        Batch last = SampleScans.last(SampleScans.header(1), 1);
        byte[] body = BatchJson.write(last);
        assertThatThrownBy(() -> store.ingest(who, last, Secrets.sha256(body), "test"))
                .isInstanceOf(BatchRejectedException.class).hasMessageContaining("send them first");
        assertThat(store.scans(agent.siteId())).allSatisfy(s -> assertThat(s.complete())
                .isFalse());
    }

    @Test
    void observationsAndTheAuditLogAreAppendOnly() {
        EnrolledAgent agent = enrolled("append-only");
        push(agent, 1);
        for (String sql : new String[]{"UPDATE observation SET address = '127.0.0.9'",
                "DELETE FROM observation", "UPDATE audit_log SET actor = 'nobody'",
                "DELETE FROM audit_log"}) {
            assertThatThrownBy(() -> execute(sql)).as(sql).isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }
        assertThat(store.countObservations(agent.siteId())).isEqualTo(2);
    }

    @Test
    void devicesAndFindingsOfAClosedScanAreListedAndFiltered() {
        EnrolledAgent agent = enrolled("findings-a");
        EnrolledAgent other = enrolled("findings-b");
        push(agent, 1);
        push(other, 1);
        assertThat(store.devices(agent.siteId())).extracting(d -> d.address()).containsExactly(
                "127.0.0.2", "127.0.0.3");
        assertThat(store.devices(agent.siteId()).getFirst().identification().platform())
                .contains("Hikvision");

        FindingFilter site = new FindingFilter(Optional.of("findings-a"), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertThat(store.findings(site)).extracting(f -> f.finding().id()).containsExactly(
                "ndaa-889", "telnet-open");
        FindingFilter critical = new FindingFilter(Optional.of("findings-a"), Optional.of(
                Finding.Severity.CRITICAL), Optional.empty(), Optional.empty());
        assertThat(store.findings(critical)).extracting(f -> f.finding().id()).containsExactly(
                "ndaa-889");
        FindingFilter exposure = new FindingFilter(Optional.empty(), Optional.empty(), Optional
                .of(Finding.Kind.EXPOSURE), Optional.empty());
        assertThat(store.findings(exposure)).extracting(SiteFinding::site).contains("findings-a",
                "findings-b").allSatisfy(s -> assertThat(s).isNotNull());
        assertThat(store.findings(exposure)).allSatisfy(f -> assertThat(f.finding().kind())
                .isEqualTo(Finding.Kind.EXPOSURE));
        FindingFilter hik = new FindingFilter(Optional.of("findings-b"), Optional.empty(),
                Optional.empty(), Optional.of("hikvision"));
        assertThat(store.findings(hik)).extracting(f -> f.finding().id()).containsExactly(
                "ndaa-889");
        assertThat(store.auditLog(1000)).extracting(a -> a.action()).contains("site.add",
                "agent.enrol", "batch.ingest");
    }

    @Test
    void copyKeepsEveryCharacterOfAnObservation() {
        EnrolledAgent agent = enrolled("copy-escapes");
        Principal who = store.principal(agent.credential()).orElseThrow();
        String awkward = "tab\there, newline\nthere, return\r, backslash \\ and \\N, é, 摄像机";
        Observation o = Observation.builder(Source.ACTIVE, "127.0.0.2").time(SampleScans.STARTED
                .plusMillis(1_234)).port(554).transport(Transport.TCP).protocol("rtsp").mac(
                        "AA-BB-CC-DD-EE-FF")
                .field("rtsp.server", awkward).field("quote", "\"q\"").raw(awkward).build();
        Observation noMac = SampleScans.observation("127.0.0.3", "AXIS");
        Batch b = new Batch(SampleScans.header(1), 0, List.of(o, noMac), false, List.of(), List
                .of());
        byte[] body = BatchJson.write(b);
        assertThat(store.ingest(who, BatchJson.read(body), Secrets.sha256(body), "test"))
                .isEqualTo(Ingest.STORED);
        String where = " FROM observation WHERE site_id = " + agent.siteId() + " ORDER BY ordinal";
        assertThat(store.column("SELECT raw" + where)).containsExactly(awkward, noMac.raw());
        assertThat(store.column("SELECT fields->>'rtsp.server'" + where).getFirst()).isEqualTo(
                awkward);
        assertThat(store.column("SELECT fields->>'quote'" + where).getFirst()).isEqualTo("\"q\"");
        assertThat(store.column("SELECT coalesce(mac, 'none')" + where)).containsExactly(
                "aa:bb:cc:dd:ee:ff", "none");
        assertThat(store.column("SELECT to_char(time AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') || ' '"
                + " || port || ' ' || transport || ' ' || protocol || ' ' || source" + where)
                .getFirst()).isEqualTo("09:00:01.234 554 tcp rtsp active");
    }

    @Test
    void aNewerRevisionOfTheLastBatchReplacesIdentificationsAndFindingsOnly() {
        EnrolledAgent agent = enrolled("revised");
        Principal who = store.principal(agent.credential()).orElseThrow();
        push(agent, 1);
        ScanHeader h = SampleScans.header(1);
        Batch last = SampleScans.last(h, 1);
        List<Finding> fewer = List.of(last.findings().getFirst());
        Batch changed = new Batch(h, 1, List.of(), true, last.identifications(), fewer);

        byte[] sameRevision = BatchJson.write(changed);
        assertThatThrownBy(() -> store.ingest(who, changed, Secrets.sha256(sameRevision), "test"))
                .isInstanceOf(BatchRejectedException.class).hasMessageContaining(
                        "higher revision");
        assertThat(findingIds("revised")).containsExactly("ndaa-889", "telnet-open");

        Batch second = changed.withRevision(1);
        byte[] body = BatchJson.write(second);
        assertThat(store.ingest(who, BatchJson.read(body), Secrets.sha256(body), "test"))
                .isEqualTo(Ingest.REVISED);
        assertThat(findingIds("revised")).containsExactly("ndaa-889");
        assertThat(store.ingest(who, BatchJson.read(body), Secrets.sha256(body), "test"))
                .isEqualTo(Ingest.DUPLICATE);
        assertThat(store.countObservations(agent.siteId())).isEqualTo(2);
        assertThat(store.devices(agent.siteId())).hasSize(2);

        byte[] older = BatchJson.write(last);
        assertThatThrownBy(() -> store.ingest(who, last, Secrets.sha256(older), "test"))
                .isInstanceOf(BatchRejectedException.class).hasMessageContaining(
                        "at revision 1");
        assertThat(findingIds("revised")).containsExactly("ndaa-889");
        assertThat(store.auditLog(1000)).extracting(a -> a.action()).contains("batch.revise");
    }

    @Test
    void aRevisionOfABatchThatIsNotTheClosedLastOneIsRejected() {
        EnrolledAgent agent = enrolled("revise-open");
        Principal who = store.principal(agent.credential()).orElseThrow();
        ScanHeader h = SampleScans.header(1);
        Batch obs = SampleScans.observations(h, 0, SampleScans.observation("127.0.0.2",
                "App-webs/"));
        byte[] body = BatchJson.write(obs);
        store.ingest(who, obs, Secrets.sha256(body), "test");
        Batch revision = SampleScans.last(h, 0).withRevision(1);
        byte[] rb = BatchJson.write(revision);
        assertThatThrownBy(() -> store.ingest(who, revision, Secrets.sha256(rb), "test"))
                .isInstanceOf(BatchRejectedException.class).hasMessageContaining(
                        "not the stored last batch");
        assertThat(store.scans(agent.siteId())).allSatisfy(s -> assertThat(s.complete())
                .isFalse());
    }

    private static List<String> findingIds(String site) {
        return store.findings(new FindingFilter(Optional.of(site), Optional.empty(), Optional
                .empty(), Optional.empty())).stream().map(f -> f.finding().id()).toList();
    }

    private static EnrolledAgent enrolled(String site) {
        SiteEnrolment s = store.addSite(site, "user:admin", "test");
        return store.enrol(s.enrolmentToken(), site + "-agent", "test").orElseThrow();
    }

    private static void push(EnrolledAgent agent, long agentScan) {
        Principal who = store.principal(agent.credential()).orElseThrow();
        ScanHeader h = SampleScans.header(agentScan);
        for (Batch b : new Batch[]{SampleScans.observations(h, 0, SampleScans.observation(
                "127.0.0.2", "App-webs/"), SampleScans.observation("127.0.0.3", "AXIS")),
                SampleScans.last(h, 1)}) {
            byte[] body = BatchJson.write(b);
            assertThat(store.ingest(who, b, Secrets.sha256(body), "test")).isEqualTo(
                    Ingest.STORED);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.url(), LocalPostgres.USER, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
