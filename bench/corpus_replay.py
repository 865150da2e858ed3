#!/usr/bin/env python3
"""Replays corpus records as loopback devices, one address per record (bench/identify-vs-nmap.sh).

For every record of knowledge/corpus/records/*.jsonl that has HTTP, RTSP or telnet fields, binds
127.77.<n/256>.<n%256> (loopback only) on the family's usual port and answers with the record's
own strings: HTTP with its status, Server, WWW-Authenticate, Content-Type and body (or title);
RTSP OPTIONS with Server and Public, DESCRIBE with the challenge or the SDP; telnet with the
banner. Records of other families (TLS, SNMP, UPnP, DHCP, MAC) cannot be replayed over TCP here
and are left out. Writes the plan (address, record id, maker, platform, ports) as JSON lines,
prints "ready", and serves until killed.

Usage: corpus_replay.py CORPUS_DIR PREFIX(127.77) PLAN_OUT
"""
import json
import pathlib
import re
import socket
import sys
import threading

PORTS = {"http": 80, "rtsp": 554, "telnet": 23}


def records(corpus):
    for f in sorted(pathlib.Path(corpus, "records").glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def http_reply(fields):
    status = fields.get("http.status", "200")
    reason = {"200": "OK", "401": "Unauthorized", "404": "Not Found"}.get(status, "OK")
    head = [f"HTTP/1.1 {status} {reason}"]
    if "http.server" in fields:
        head.append("Server: " + fields["http.server"])
    if "http.www_authenticate" in fields:
        head.append("WWW-Authenticate: " + fields["http.www_authenticate"])
    body = fields.get("http.body")
    if body is None and "http.title" in fields:
        body = "<html><head><title>" + fields["http.title"] + "</title></head><body></body></html>"
    if body is None:
        body = "<html><body>" + reason + "</body></html>"
    head.append("Content-Type: " + fields.get("http.content_type", "text/html"))
    data = body.encode("utf-8")
    head.append(f"Content-Length: {len(data)}")
    head.append("Connection: close")
    return ("\r\n".join(head) + "\r\n\r\n").encode("utf-8") + data


def rtsp_reply(fields, request):
    m = re.search(rb"(?im)^cseq:\s*(\d+)", request)
    cseq = m.group(1).decode() if m else "1"
    method = request.split(b" ", 1)[0].upper()
    head = []
    body = b""
    if method == b"DESCRIBE" and "rtsp.www_authenticate" in fields:
        head.append("RTSP/1.0 401 Unauthorized")
        head.append("CSeq: " + cseq)
        head.append("WWW-Authenticate: " + fields["rtsp.www_authenticate"])
    elif method == b"DESCRIBE" and "rtsp.sdp" in fields:
        body = ("v=0\r\n" + fields["rtsp.sdp"].replace("\n", "\r\n") + "\r\n").encode("utf-8")
        head += ["RTSP/1.0 200 OK", "CSeq: " + cseq, "Content-Type: application/sdp",
                 f"Content-Length: {len(body)}"]
    elif method in (b"OPTIONS", b"DESCRIBE", b"SETUP", b"PLAY", b"GET_PARAMETER"):
        head += ["RTSP/1.0 200 OK", "CSeq: " + cseq]
        if "rtsp.public" in fields:
            head.append("Public: " + fields["rtsp.public"])
    else:
        head += ["RTSP/1.0 400 Bad Request", "CSeq: " + cseq]
    if "rtsp.server" in fields:
        head.insert(2, "Server: " + fields["rtsp.server"])
    return ("\r\n".join(head) + "\r\n\r\n").encode("utf-8") + body


def serve(sock, family, fields):
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        threading.Thread(target=answer, args=(conn, family, fields), daemon=True).start()


def answer(conn, family, fields):
    conn.settimeout(5)
    try:
        if family == "telnet":
            conn.sendall(fields["telnet.banner"].encode("utf-8") + b" ")
            conn.recv(1024)
            return
        buf = b""
        while True:
            chunk = conn.recv(4096)
            if not chunk:
                return
            buf += chunk
            while b"\r\n\r\n" in buf or b"\n\n" in buf:
                cut = buf.find(b"\r\n\r\n")
                end = cut + 4 if cut >= 0 else buf.find(b"\n\n") + 2
                request, buf = buf[:end], buf[end:]
                if family == "http":
                    conn.sendall(http_reply(fields))
                    return
                conn.sendall(rtsp_reply(fields, request))
    except OSError:
        pass
    finally:
        conn.close()


def main():
    corpus, prefix, plan_out = sys.argv[1], sys.argv[2], sys.argv[3]
    if not prefix.startswith("127."):
        sys.exit("loopback prefixes only")
    plan = []
    n = 0
    for r in records(corpus):
        families = sorted({k.split(".", 1)[0] for k in r["fields"]} & PORTS.keys())
        if not families:
            continue
        n += 1
        address = f"{prefix}.{n >> 8 & 255}.{n & 255}"
        for fam in families:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((address, PORTS[fam]))
            s.listen(64)
            threading.Thread(target=serve, args=(s, fam, r["fields"]), daemon=True).start()
        plan.append({"address": address, "id": r["id"], "maker": r["maker"],
                     "platform": r.get("platform"), "device": r["device"],
                     "ports": [PORTS[f] for f in families]})
    with open(plan_out, "w", encoding="utf-8") as f:
        for p in plan:
            f.write(json.dumps(p) + "\n")
    print("ready", len(plan), flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
