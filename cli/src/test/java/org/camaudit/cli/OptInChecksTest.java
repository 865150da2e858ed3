package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No opt-in check runs without its flag: a fake web UI on 127.85.0.1:8080 records every request;
 * without --info-leak-checks it never sees /web_caps/webCapsConfig, without --auth-attempts never
 * an Authorization header, even when the scope allows both classes; the flags without the scope
 * class are refused with a usage error before anything is sent.
 */
class OptInChecksTest {
    static final String ADDRESS = "127.85.0.1";

    @TempDir
    Path data;

    ServerSocket server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    Thread acceptor;

    @BeforeEach
    void startFakeDevice() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), 8080));
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            StringBuilder head = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                head.append(line).append('\n');
            }
            requests.add(head.toString());
            String first = head.toString().lines().findFirst().orElse("");
            String reply;
            if (first.contains("/web_caps/webCapsConfig")) {
                String body = "{\"vendor\":\"General\",\"deviceType\":\"IPC\",\"WebVersion\":\"3.2.1\"}";
                reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\nConnection: close\r\n\r\n" + body;
            } else if (head.toString().toLowerCase().contains("authorization:")) {
                reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
            } else {
                reply = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"fake\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n";
            }
            OutputStream out = s.getOutputStream();
            out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException ignored) {
            // a probe that hangs up early is fine
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        acceptor.join(2000);
    }

    Path scopeFile(String classes) throws IOException {
        Path f = data.resolve("scope.yaml");
        Files.writeString(f, "targets: [" + ADDRESS + "]\nports: [8080]\nsafety_classes: ["
                + classes + "]\nauthorized_by: \"test, 2026-11-22\"\n");
        return f;
    }

    Path credentials() throws IOException {
        Path f = data.resolve("creds.txt");
        Files.writeString(f, "# operator-supplied\nadmin:admin\nadmin:12345\n");
        return f;
    }

    CliRun scan(String... extra) {
        List<String> args = new ArrayList<>(List.of("scan", "--no-udp", "--quiet", "--timeout",
                "3", "--data-dir", data.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    boolean sawInfoLeak() {
        return requests.stream().anyMatch(r -> r.contains("/web_caps/webCapsConfig") || r.contains(
                "/DVR.htm"));
    }

    boolean sawAuthorization() {
        return requests.stream().anyMatch(r -> r.toLowerCase().contains("authorization:"));
    }

    @Test
    void withoutFlagsNoOptInRequestEvenWhenTheScopeAllowsThem() throws IOException {
        CliRun run = scan("--scope", scopeFile("safe-probe, info-leak-read, auth-attempt")
                .toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(requests).as("the fake device was probed").isNotEmpty();
        assertThat(sawInfoLeak()).as("INFO-LEAK READ without --info-leak-checks").isFalse();
        assertThat(sawAuthorization()).as("AUTH-ATTEMPT without --auth-attempts").isFalse();
    }

    @Test
    void flagsWithoutTheScopeClassAreRefused() throws IOException {
        CliRun leak = scan("--scope", scopeFile("safe-probe").toString(), "--info-leak-checks");
        assertThat(leak.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(leak.err()).contains("info-leak-read");
        CliRun auth = scan("--scope", scopeFile("safe-probe").toString(), "--auth-attempts",
                "--credentials", credentials().toString());
        assertThat(auth.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(auth.err()).contains("auth-attempt");
        CliRun noFile = scan("--scope", scopeFile("safe-probe, auth-attempt").toString(),
                "--auth-attempts");
        assertThat(noFile.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(noFile.err()).contains("--credentials");
        assertThat(requests).as("nothing sent when refused").isEmpty();
    }

    @Test
    void flagsWithTheScopeClassRunTheChecks() throws IOException {
        CliRun run = scan("--scope", scopeFile("safe-probe, info-leak-read, auth-attempt")
                .toString(), "--info-leak-checks", "--auth-attempts", "--credentials",
                credentials().toString(), "--max-attempts", "1");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(sawInfoLeak()).isTrue();
        assertThat(requests.stream().filter(r -> r.toLowerCase().contains("authorization:")))
                .as("at most --max-attempts logins").hasSize(1);
    }
}
