package org.camaudit.testbed.realism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.xml.parsers.DocumentBuilderFactory;
import org.camaudit.testbed.DeviceSpec;
import org.camaudit.testbed.Fleet;
import org.camaudit.testbed.Personalities;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * nmap's version detection (the Debian package and its nmap-service-probes database, which nobody
 * here wrote) names the simulated Hikvision, Dahua, Xiongmai and Axis devices with the products it
 * names the real devices by. Skipped when nmap is not installed.
 */
class NmapServiceRealismTest {
    @Test
    void nmapNamesTheSameProductsAsForRealDevices() throws Exception {
        Optional<Path> nmap = Tools.onPath("nmap");
        assumeTrue(nmap.isPresent(), "nmap is not installed (apt-get install nmap): skipping the"
                + " nmap -sV realism check");
        Personalities catalog = Personalities.standard();
        List<String> ids = List.of("hikvision-camera", "hikvision-nvr", "dahua-camera",
                "xiongmai-dvr", "axis-camera");
        List<DeviceSpec> devices = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            devices.add(catalog.get(ids.get(i)).create("127.63.0." + (10 + i),
                    new SplittableRandom(7 + i)));
        }
        // each device is scanned on the ports asserted, one nmap per device, all at once: a
        // silent port costs nmap's 6 s NULL-probe wait, an unmatched one many probe timeouts
        List<String> ports = List.of("80,554,8000", "80", "80,554", "80,554", "21");
        Map<String, Map<Integer, String>> products = new TreeMap<>();
        try (Fleet fleet = Fleet.start(devices, catalog);
                ExecutorService pool = Executors.newFixedThreadPool(devices.size())) {
            List<Future<Tools.Run>> runs = new ArrayList<>();
            for (int i = 0; i < devices.size(); i++) {
                List<String> command = List.of(nmap.get().toString(), "-n", "-Pn", "-sT", "-sV",
                        "-p", ports.get(i), "-oX", "-", devices.get(i).address());
                runs.add(pool.submit(() -> Tools.run(command, Path.of("."), Duration.ofSeconds(
                        90))));
            }
            for (Future<Tools.Run> f : runs) {
                Tools.Run run = f.get();
                assertThat(run.timedOut()).as("nmap finished").isFalse();
                assertThat(run.exitCode()).as(run.stderr()).isZero();
                products.putAll(products(run.stdout()));
            }
        }
        System.out.println("nmap -sV products by address and port: " + products);
        assertThat(products.get("127.63.0.10")).containsEntry(80, "Hikvision IP camera httpd")
                .containsEntry(8000, "Hikvision IPCam control port")
                .containsEntry(554, "Hikvision DVR rtspd");
        assertThat(products.get("127.63.0.11")).containsEntry(80,
                "Hikvision Network Video Recorder http admin");
        assertThat(products.get("127.63.0.12")).containsEntry(80, "Dahua webcam httpd")
                .containsEntry(554, "Dahua IP camera rtspd");
        assertThat(products.get("127.63.0.13")).containsEntry(80, "uc-httpd").containsEntry(554,
                "H264DVR rtspd");
        assertThat(products.get("127.63.0.14")).containsEntry(21, "Axis " + devices.get(4).model()
                + " Network Camera ftpd");
    }

    /** address → port → service product, from nmap's XML output. */
    static Map<String, Map<Integer, String>> products(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(
                StandardCharsets.UTF_8)));
        Map<String, Map<Integer, String>> out = new TreeMap<>();
        NodeList hosts = doc.getElementsByTagName("host");
        for (int h = 0; h < hosts.getLength(); h++) {
            Element host = (Element) hosts.item(h);
            String address = ((Element) host.getElementsByTagName("address").item(0))
                    .getAttribute("addr");
            Map<Integer, String> byPort = out.computeIfAbsent(address, a -> new TreeMap<>());
            NodeList ports = host.getElementsByTagName("port");
            for (int p = 0; p < ports.getLength(); p++) {
                Element port = (Element) ports.item(p);
                NodeList service = port.getElementsByTagName("service");
                if (service.getLength() > 0) {
                    byPort.put(Integer.parseInt(port.getAttribute("portid")), ((Element) service
                            .item(0)).getAttribute("product"));
                }
            }
        }
        return out;
    }
}
