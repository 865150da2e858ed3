package org.camaudit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.camaudit.model.IpRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fleet starts and stops cleanly at 300 and 5,000 devices: every device listens on its own
 * address, and after close nothing listens any more. Start-up time and heap per device are
 * printed for the record (measured, not asserted).
 */
class FleetScaleTest {
    @ParameterizedTest
    @ValueSource(ints = {300, 5000})
    void startsAndStopsCleanly(int count) throws Exception {
        Personalities catalog = Personalities.standard();
        List<DeviceSpec> devices = FleetPlan.generate(count, IpRange.parse("127.82.0.0/16"),
                FleetPlan.defaultMix(), 11, catalog);
        long tcp = devices.stream().mapToLong(d -> catalog.get(d.personality()).tcpPorts(d)
                .size()).sum();
        System.gc();
        long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long t0 = System.nanoTime();
        List<DeviceSpec> sample = devices.subList(0, Math.min(50, count));
        try (Fleet fleet = Fleet.start(devices, catalog)) {
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()
                    - heapBefore;
            System.out.printf("fleet of %,d: %,d sockets, started in %,d ms, %,d heap bytes per"
                    + " device%n", count, fleet.sockets(), millis, heap / count);
            assertThat(fleet.sockets()).isGreaterThanOrEqualTo((int) tcp);
            for (DeviceSpec d : sample) {
                int port = catalog.get(d.personality()).tcpPorts(d).get(0);
                assertThat(listens(d.address(), port)).as(d.address() + ":" + port).isTrue();
            }
        }
        for (DeviceSpec d : sample) {
            int port = catalog.get(d.personality()).tcpPorts(d).get(0);
            assertThat(listens(d.address(), port)).as(d.address() + ":" + port
                    + " still listens after close").isFalse();
        }
    }

    /**
     * Whether something accepts on the address: a connection, or a reset right after the
     * handshake (the reset-on-connect device; the reset can reach the socket before connect
     * returns), is listening; a refusal is not.
     */
    private static boolean listens(String address, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (java.net.ConnectException | java.net.SocketTimeoutException refused) {
            return false;
        } catch (java.net.SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return true;
            }
            throw e;
        }
    }
}
