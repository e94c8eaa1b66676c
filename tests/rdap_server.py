#!/usr/bin/env python3
"""A real HTTPS RDAP server on loopback for dnsbl's tests.

Makes a test CA and a server certificate for 127.0.0.1 with openssl, then
serves the RIR-shaped answers of dnsbl/contacts/testdata under /rdap/ip/ADDR
(and /ripe/ip/ADDR, where one range is redirected), plus every failure the
client must explain: 404, 429 with Retry-After, a slow answer, a redirect
loop, bodies that are not JSON, truncated, huge or hostile. Writes the port
to DIR/port and the CA to DIR/ca.pem once listening; appends each request
path to DIR/requests.log (flushed) so tests count the questions asked.

Usage: rdap_server.py DIR TESTDATA_DIR
"""

import http.server
import ipaddress
import json
import os
import socketserver
import ssl
import subprocess
import sys
import threading
import time

DIR, DATA = sys.argv[1], sys.argv[2]


def make_certificates():
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    ca_key, ca = os.path.join(DIR, "ca.key"), os.path.join(DIR, "ca.pem.tmp")
    key, csr = os.path.join(DIR, "server.key"), os.path.join(DIR, "server.csr")
    cert, ext = os.path.join(DIR, "server.pem"), os.path.join(DIR, "ext.cnf")
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=dnsbl test CA", "-keyout", ca_key, "-out", ca)
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", key, "-out", csr)
    with open(ext, "w") as f:
        # Names as well: dnsbl resolves them itself (the test's rbldnsd
        # serves them), never through the system's resolver.
        f.write("subjectAltName=IP:127.0.0.1,DNS:rdap.lab.example,"
                "DNS:rdap2.lab.example\n")
    run("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
        "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", cert)
    return ca, cert, key


def sample(name):
    with open(os.path.join(DATA, name), "rb") as f:
        return f.read()


HOSTILE = json.dumps({
    "objectClassName": "ip network",
    "handle": "EVIL\u001b[2J",
    "name": "Line\r\nX-Injected: 1",
    "startAddress": "2001:db8:e1::",
    "endAddress": "2001:db8:e1:ffff:ffff:ffff:ffff:ffff",
    "entities": [{"roles": ["abuse"], "vcardArray": ["vcard", [
        ["email", {}, "text", "abuse@example.org\r\nBcc: x@example.org"],
        ["email", {}, "text", "spaces in@example.org"],
        ["email", {}, "text", "\u0007bell@example.org"],
        ["email", {}, "text", "abuse@example.org"]]]}]}).encode()

# (network, what to answer), first match wins.
ROUTES = [
    ("192.0.2.0/24", ("json", "rdap_arin.json")),
    ("198.51.100.64/26", ("redirect_host", "rdap2.lab.example")),
    ("198.51.100.0/25", ("redirect", "/ripe/ip/")),
    ("198.51.100.128/25", ("json", "rdap_lacnic.json")),
    ("203.0.113.0/24", ("json", "rdap_apnic.json")),
    ("2001:db8:a::/48", ("json", "rdap_afrinic.json")),
    ("2001:db8:404::/48", ("status", 404)),
    ("2001:db8:429::/48", ("status", 429)),
    ("2001:db8:5::/48", ("slow", 4)),
    ("2001:db8:100::/48", ("redirect", "/rdap/ip/")),  # to itself: a loop
    ("2001:db8:bad::/48", ("raw", b"<html>not json</html>")),
    ("2001:db8:7e::/48", ("raw", sample("rdap_afrinic.json")[:200])),
    ("2001:db8:b16::/48", ("huge", 3 << 20)),
    ("2001:db8:e1::/48", ("raw", HOSTILE)),
]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/rdap+json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with LOG_LOCK:
            LOG.write(self.path + "\n")
            LOG.flush()
        prefix, _, address = self.path.rpartition("/ip/")
        if prefix == "/ripe":
            return self.send(200, sample("rdap_ripe.json"))
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return self.send(400, b'{"errorCode": 400, "title": "bad"}')
        for network, (kind, arg) in ROUTES:
            if ip not in ipaddress.ip_network(network):
                continue
            if kind == "json":
                return self.send(200, sample(arg))
            if kind == "redirect":
                return self.send(302, b"", [("Location", arg + address)])
            if kind == "redirect_host":
                port = self.server.server_address[1]
                return self.send(302, b"", [(
                    "Location", f"https://{arg}:{port}/ripe/ip/{address}")])
            if kind == "status":
                body = json.dumps({"errorCode": arg, "title": "Not Found"
                                   if arg == 404 else "Too Many Requests"})
                extra = [("Retry-After", "1")] if arg == 429 else []
                return self.send(arg, body.encode(), extra)
            if kind == "slow":
                time.sleep(arg)
                return self.send(200, sample("rdap_afrinic.json"))
            if kind == "raw":
                return self.send(200, arg)
            if kind == "huge":
                return self.send(200, b"[" + b"1," * (arg // 2) + b"1]")
        return self.send(404, b'{"errorCode": 404, "title": "Not Found"}')


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


ca, cert, key = make_certificates()
LOG = open(os.path.join(DIR, "requests.log"), "a")
LOG_LOCK = threading.Lock()
httpd = Server(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
os.rename(ca, os.path.join(DIR, "ca.pem"))
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write(str(httpd.server_address[1]))
os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
httpd.serve_forever()
