package org.camaudit.traffic;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The inputs {@link TrafficAnalyzer} reads, told apart by their first bytes. */
public enum CaptureFormat {
    PCAP, PCAPNG, ZEEK_TSV, ZEEK_JSON,
    /** NetFlow v5, v9 or IPFIX export datagrams, one after another. */
    NETFLOW, UNKNOWN;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Reads at most 16 bytes of the file. */
    public static CaptureFormat detect(Path file) throws IOException {
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return detect(head, n);
    }

    static CaptureFormat detect(byte[] head, int n) {
        if (n >= 4) {
            int word = (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8
                    | (head[3] & 0xff);
            if (PcapReader.recognises(word)) {
                return PCAP;
            }
            if (word == PcapngReader.SHB) {
                return PCAPNG;
            }
            if (head[0] == 0 && (head[1] == 5 || head[1] == 9 || head[1] == 10)) {
                return NETFLOW;
            }
        }
        int i = 0;
        while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'
                || head[i] == (byte) 0xef || head[i] == (byte) 0xbb || head[i] == (byte) 0xbf)) {
            i++;
        }
        if (i < n && head[i] == '{') {
            return ZEEK_JSON;
        }
        if (i < n && head[i] == '#') {
            return ZEEK_TSV;
        }
        return UNKNOWN;
    }
}
