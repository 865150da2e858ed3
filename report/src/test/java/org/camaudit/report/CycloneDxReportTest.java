package org.camaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.camaudit.model.Identification;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.vulnerability.Vulnerability;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

class CycloneDxReportTest {
    @Test
    void validAgainstTheCycloneDx16SchemaWithTheOfficialLibrary() throws Exception {
        byte[] json = Fixtures.bytes(Fixtures.data(), Format.CYCLONEDX);
        // the library maps the schema URIs to copies inside its jar: no network needed
        List<ParseException> errors = new JsonParser().validate(json, Version.VERSION_16);
        assertThat(errors).isEmpty();
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8)).contains(
                "\"specVersion\" : \"1.6\"");
    }

    @Test
    void devicesAreHardwareComponentsAndFindingsVulnerabilities() throws Exception {
        Bom bom = new JsonParser().parse(Fixtures.bytes(Fixtures.data(), Format.CYCLONEDX));
        assertThat(bom.getComponents()).hasSize(6).allMatch(c -> c
                .getType() == Component.Type.DEVICE);
        Component hik = bom.getComponents().get(0);
        assertThat(hik.getName()).isEqualTo("DS-2CD2143G0-I");
        assertThat(hik.getVersion()).isEqualTo("V5.5.0 build 170725");
        assertThat(hik.getManufacturer().getName()).isEqualTo("Hikvision");
        assertThat(hik.getCpe()).isEqualTo("cpe:2.3:h:hikvision:ds-2cd2143g0-i:-:*:*:*:*:*:*:*");
        assertThat(hik.getBomRef()).isEqualTo("device:c0:56:e3:11:22:33");
        assertThat(hik.getProperties()).anyMatch(p -> p.getName().equals("camaudit:address") && p
                .getValue().equals("192.0.2.11"));
        Component annke = bom.getComponents().get(1);
        assertThat(annke.getManufacturer().getName()).isEqualTo("Hikvision");
        assertThat(annke.getSupplier().getName()).isEqualTo("Annke");
        // no model: no CPE
        assertThat(bom.getComponents().get(2).getCpe()).isNull();
        assertThat(bom.getComponents().get(4).getCpe()).isNull();

        Vulnerability cve = bom.getVulnerabilities().stream().filter(v -> v.getId().equals(
                "CVE-2021-36260")).findFirst().orElseThrow();
        assertThat(cve.getSource().getName()).isEqualTo("NVD");
        assertThat(cve.getReferences()).anyMatch(r -> r.getSource().getName().equals("CISA KEV"));
        assertThat(cve.getRatings().get(0).getSeverity()).isEqualTo(
                Vulnerability.Rating.Severity.CRITICAL);
        assertThat(cve.getAffects()).extracting(Vulnerability.Affect::getRef).containsExactly(
                "device:c0:56:e3:11:22:33");
        assertThat(cve.getRecommendation()).startsWith("patch");
        Vulnerability ndaa = bom.getVulnerabilities().stream().filter(v -> v.getId().equals(
                "ndaa-889")).findFirst().orElseThrow();
        assertThat(ndaa.getSource().getName()).isEqualTo("camaudit");
        assertThat(ndaa.getAffects()).hasSize(3);
        assertThat(bom.getVulnerabilities()).extracting(Vulnerability::getId).contains(
                "xiongmai-debug-port-9530", "vendor-cloud-hik-connect", "telnet-open");
    }

    @Test
    void cpeOnlyWhenVendorAndModelAreKnownAndAlwaysWellFormed() {
        Identification odd = new Identification("192.0.2.9", Optional.empty(), Optional.of(
                "Hanwha Vision"), Optional.of("Hanwha Vision"), Optional.of("XNV-8080R (2.8mm)"),
                Optional.empty(), Optional.empty(), 0.8, false, List.of(), List.of());
        assertThat(CycloneDxReport.cpe(odd)).contains(
                "cpe:2.3:h:hanwha_vision:xnv-8080r_\\(2.8mm\\):-:*:*:*:*:*:*:*");
        assertThat(CycloneDxReport.cpe(Fixtures.xiongmai())).isEmpty();
        assertThat(CycloneDxReport.cpe(Fixtures.unknown())).isEmpty();
    }

    @Test
    void largeReportStaysValid() throws Exception {
        byte[] json = Fixtures.bytes(Fixtures.large(200), Format.CYCLONEDX);
        assertThat(new JsonParser().validate(json, Version.VERSION_16)).isEmpty();
    }
}
