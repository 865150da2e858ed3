#!/usr/bin/env python3
"""Scores camaudit's and nmap's identification of the replayed corpus records (one address each).

A record is named correctly by a tool when the record's maker (or its platform, or a name that
knowledge/corpus/aliases.yaml joins to it) appears in what the tool said about that address:
camaudit's brand and platform; nmap's product, version, extra info, device type, OS type and CPEs.
Names are compared lower-case with everything but letters and digits removed, the same way for
both tools.

Usage: identify_vs_nmap_score.py PLAN CORPUS_DIR CAMAUDIT_JSONL NMAP_XML [CAMAUDIT_ON_NMAP_JSONL]
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

import yaml


def key(s):
    return re.sub(r"[^a-z0-9]", "", (s or "").lower())


def names(rec, aliases):
    out = {key(rec["maker"])}
    if rec.get("platform"):
        out.add(key(rec["platform"]))
    for group in aliases:
        ks = {key(n) for n in group}
        if ks & out:
            out |= ks
    return {n for n in out if n}


def camaudit_said(path):
    said = {}
    for line in open(path, encoding="utf-8"):
        if line.strip():
            d = json.loads(line)
            said[d["address"]] = " ".join(x for x in (d.get("brand"), d.get("platform")) if x)
    return said


def nmap_said(path):
    said = {}
    for host in ET.parse(path).getroot().iter("host"):
        addr = host.find("address").get("addr")
        parts = []
        for svc in host.iter("service"):
            parts += [svc.get(a, "") for a in ("product", "version", "extrainfo", "devicetype",
                                               "ostype", "hostname")]
            parts += [c.text or "" for c in svc.iter("cpe")]
        said[addr] = " ".join(p for p in parts if p)
    return said


def score(plan, aliases, said):
    named = correct = 0
    for rec in plan:
        text = said.get(rec["address"], "")
        if text.strip():
            named += 1
            if any(n in key(text) for n in names(rec, aliases)):
                correct += 1
    return named, correct


def main():
    plan = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
    aliases = [m["names"] for m in yaml.safe_load(
        open(sys.argv[2] + "/aliases.yaml", encoding="utf-8"))["makers"]]
    tools = [("camaudit scan", camaudit_said(sys.argv[3])), ("nmap -sV", nmap_said(sys.argv[4]))]
    if len(sys.argv) > 5:
        tools.append(("camaudit on nmap XML", camaudit_said(sys.argv[5])))
    cams = [r for r in plan if r["device"] in ("camera", "nvr", "dvr", "intercom", "doorbell")]
    print(f"{len(plan)} replayed records ({len(cams)} cameras/recorders/intercoms)")
    print(f"{'tool':<22} {'slice':<9} {'records':>7} {'said something':>15} {'correct':>8} {'accuracy':>9}")
    for name, said in tools:
        for slice_name, rows in (("all", plan), ("cameras", cams)):
            n, c = score(rows, aliases, said)
            print(f"{name:<22} {slice_name:<9} {len(rows):>7} {n:>15} {c:>8} {100.0 * c / max(1, len(rows)):>8.1f}%")
    print()
    print("per record (maker | camaudit | nmap):")
    for rec in plan:
        print(f"  {rec['id']:<40} {rec['maker']:<12} | {tools[0][1].get(rec['address'], '') or '-':<22} | "
              f"{(tools[1][1].get(rec['address'], '') or '-')[:70]}")


if __name__ == "__main__":
    main()
