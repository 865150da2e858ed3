package org.camaudit.testbed.realism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.camaudit.testbed.DeviceSpec;
import org.camaudit.testbed.Fleet;
import org.camaudit.testbed.Personalities;
import org.junit.jupiter.api.Test;

/**
 * ffprobe (Debian's ffmpeg) completes RTSP OPTIONS and DESCRIBE with the Xiongmai personality,
 * whose stream is open as on stock firmware, and logs the SDP it received. It then fails at SETUP,
 * which the personality refuses with 461 because it never sends media. Skipped when ffprobe is not
 * installed.
 */
class FfprobeRtspRealismTest {
    @Test
    void ffprobeReadsTheSessionDescription() throws Exception {
        Optional<Path> ffprobe = Tools.onPath("ffprobe");
        assumeTrue(ffprobe.isPresent(), "ffprobe is not installed (apt-get install ffmpeg):"
                + " skipping the RTSP realism check");
        Personalities catalog = Personalities.standard();
        DeviceSpec d = catalog.get("xiongmai-dvr").create("127.64.0.10", new SplittableRandom(3));
        try (Fleet fleet = Fleet.start(List.of(d), catalog)) {
            String url = "rtsp://" + d.address()
                    + ":554/user=admin&password=&channel=1&stream=0.sdp";
            Tools.Run run = Tools.run(List.of(ffprobe.get().toString(), "-v", "debug",
                    "-rtsp_transport", "tcp", "-timeout", "5000000", url), Path.of("."),
                    Duration
                            .ofSeconds(30));
            String log = run.stderr() + run.stdout();
            assertThat(run.timedOut()).as(log).isFalse();
            assertThat(log).as(log).contains("SDP:", "m=video 0 RTP/AVP 96",
                    "a=rtpmap:96 H264/90000", "o=- 1109162014219182");
            int sdp = log.indexOf("SDP:");
            System.out.println("ffprobe " + url + " received:\n" + log.substring(sdp, Math.min(log
                    .length(), sdp + 700)));
            assertThat(log).contains("461"); // SETUP refused cleanly, no media
            assertThat(fleet.connectionsAccepted()).isPositive();
        }
    }
}
