package org.camaudit.probes.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camaudit.probes.service.FakeDevice.bytes;

import java.time.Duration;
import java.util.List;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.junit.jupiter.api.Test;

class RtspProbeTest {
    private static String cseq(String request) {
        for (String line : request.split("\r\n")) {
            if (line.startsWith("CSeq:")) {
                return line.substring(5).strip();
            }
        }
        return "0";
    }

    @Test
    void dahuaOptionsThenDescribeWithDigestChallenge() throws Exception {
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.rtsp(request -> {
                    if (request.startsWith("OPTIONS ")) {
                        return bytes("RTSP/1.0 200 OK\r\nCSeq: " + cseq(request)
                                + "\r\nServer: Dahua Rtsp Server\r\n"
                                + "Public: OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, PAUSE, TEARDOWN, SET_PARAMETER, GET_PARAMETER\r\n\r\n");
                    }
                    return bytes("RTSP/1.0 401 Unauthorized\r\nCSeq: " + cseq(request)
                            + "\r\nServer: Dahua Rtsp Server\r\n"
                            + "WWW-Authenticate: Digest realm=\"Login to 4K0123ABCD\", nonce=\"e0d4\"\r\n\r\n");
                }))) {
            List<Observation> out = new RtspProbe().probe(device.address(), device.port(),
                    TestNetwork.context());
            assertThat(out).hasSize(2);
            assertThat(out.get(0).fields()).containsEntry(Fields.RTSP_METHOD, "OPTIONS")
                    .containsEntry(Fields.RTSP_STATUS, "200")
                    .containsEntry(Fields.RTSP_SERVER, "Dahua Rtsp Server")
                    .doesNotContainKey(Fields.ERROR);
            assertThat(out.get(0).fields().get(Fields.RTSP_PUBLIC)).startsWith("OPTIONS, DESCRIBE");
            assertThat(out.get(1).fields()).containsEntry(Fields.RTSP_METHOD, "DESCRIBE")
                    .containsEntry(Fields.RTSP_STATUS, "401")
                    .containsEntry(Fields.RTSP_WWW_AUTHENTICATE,
                            "Digest realm=\"Login to 4K0123ABCD\", nonce=\"e0d4\"")
                    .doesNotContainKey(Fields.RTSP_SDP).doesNotContainKey(Fields.ERROR);
            assertThat(out.get(1).protocol()).isEqualTo("rtsp");
            device.awaitIdle(Duration.ofSeconds(2));
            String url = "rtsp://" + device.address().getHostAddress() + ":" + device.port() + "/";
            assertThat(device.receivedText())
                    .contains("OPTIONS " + url + " RTSP/1.0\r\nCSeq: 1\r\n")
                    .contains("DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 2\r\n",
                            "Accept: application/sdp\r\n")
                    .doesNotContain("Authorization");
        }
    }

    @Test
    void describeAnsweredWithSdp() throws Exception {
        String sdp = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=Session streamed by \"H264DVR\"\r\nm=video 0 RTP/AVP 96\r\n";
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.rtsp(request -> {
                    if (request.startsWith("OPTIONS ")) {
                        return bytes("RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: H264DVR 1.0\r\n\r\n");
                    }
                    return bytes(
                            "RTSP/1.0 200 OK\r\nCSeq: 2\r\nServer: H264DVR 1.0\r\nContent-Type: application/sdp\r\n"
                                    + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp);
                }))) {
            List<Observation> out = new RtspProbe().probe(device.address(), device.port(),
                    TestNetwork.context());
            assertThat(out.get(1).fields()).containsEntry(Fields.RTSP_SERVER, "H264DVR 1.0")
                    .containsEntry(Fields.RTSP_SDP, sdp.replace("\r", "").strip());
        }
    }

    @Test
    void httpOnAnRtspPortIsRecordedNotFollowed() throws Exception {
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.rtsp(
                        r -> bytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")))) {
            List<Observation> out = new RtspProbe().probe(device.address(), device.port(),
                    TestNetwork.context());
            assertThat(out).hasSize(1);
            assertThat(out.get(0).fields()).containsEntry(Fields.ERROR, "malformed status line");
            assertThat(out.get(0).raw()).startsWith("HTTP/1.1 400");
        }
    }
}
